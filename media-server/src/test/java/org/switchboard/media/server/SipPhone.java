package org.switchboard.media.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.testing.poll.Poll;

/**
 * A SIP UAC on a plain UDP socket for the tests: writes the requests the MRF would send (with or without SDP),
 * ACKs, re-INVITEs, BYEs, and answers the server's BYE. One call at a time.
 */
final class SipPhone implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final BlockingQueue<SipMessage> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final String callId = UUID.randomUUID() + "@127.0.0.1";
    private final String fromTag = Long.toHexString(System.nanoTime());
    private String toTag;
    private int cseq = 1;
    volatile SipRequest byeReceived;

    SipPhone(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.reader = new Thread(this::read, "sip-phone");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                SipMessage m = SipMessage.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                if (m instanceof SipRequest r && r.isMethod("BYE")) {
                    byeReceived = r;
                    send(SipResponse.forRequest(r, 200).build().toString());
                }
                received.add(m);
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    private void send(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, server));
    }

    private String request(String method, int seq, Map<String, String> headers, String sdp) {
        return request(method, seq, headers, sdp, "application/sdp");
    }

    private String request(String method, int seq, Map<String, String> headers, String sdp, String contentType) {
        StringBuilder b = new StringBuilder();
        b.append(method).append(" sip:drachtio@").append(server.getHostString()).append(':').append(server.getPort())
                .append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP 127.0.0.1:").append(port()).append(";rport;branch=z9hG4bK")
                .append(method.equals("ACK") ? "ack" : "").append(Long.toHexString(System.nanoTime())).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: <sip:mrf@127.0.0.1:").append(port()).append(">;tag=").append(fromTag).append("\r\n");
        b.append("To: <sip:drachtio@").append(server.getHostString()).append(">")
                .append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(seq).append(' ').append(method).append("\r\n");
        b.append("Contact: <sip:mrf@127.0.0.1:").append(port()).append(">\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        if (sdp != null) {
            b.append("Content-Type: ").append(contentType).append("\r\n");
        }
        byte[] body = sdp == null ? new byte[0] : sdp.getBytes(StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        if (sdp != null) {
            b.append(sdp);
        }
        return b.toString();
    }

    /** Sends an INVITE (a re-INVITE once the dialog exists) and returns its final response. */
    SipResponse invite(Map<String, String> headers, String sdp) throws IOException, InterruptedException {
        int seq = cseq++;
        send(request("INVITE", seq, headers, sdp));
        SipResponse response = finalResponse("INVITE", seq);
        if (response.isSuccess() && toTag == null) {
            toTag = response.to().tag().orElseThrow();
        }
        return response;
    }

    void ack(int seq, String sdp) throws IOException {
        send(request("ACK", seq, Map.of(), sdp));
    }

    int lastInviteSeq() {
        return cseq - 1;
    }

    /** Sends an INFO with {@code body} of {@code contentType}; returns its final response. */
    SipResponse info(String contentType, String body) throws IOException, InterruptedException {
        int seq = cseq++;
        send(request("INFO", seq, Map.of(), body, contentType));
        return finalResponse("INFO", seq);
    }

    SipResponse bye() throws IOException, InterruptedException {
        int seq = cseq++;
        send(request("BYE", seq, Map.of(), null));
        return finalResponse("BYE", seq);
    }

    private SipResponse finalResponse(String method, int seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            SipMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m instanceof SipResponse r && r.cseq().method().equals(method) && r.cseq().number() == seq
                    && !r.isProvisional()) {
                return r;
            }
        }
        throw new AssertionError("no final response to " + method + " " + seq + " within 5 s");
    }

    /** Waits for the server's BYE. */
    boolean awaitBye(long millis) throws InterruptedException {
        return Poll.until(java.time.Duration.ofMillis(millis), () -> byeReceived != null);
    }

    static String sdp(int rtpPort, String formats) {
        return "v=0\r\no=mrf 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtpPort + " RTP/AVP " + formats + "\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\na=sendrecv\r\n";
    }

    @Override
    public void close() {
        socket.close();
    }
}
