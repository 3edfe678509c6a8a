package org.switchboard.mrf;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.message.SipRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The SIP side for the tests: a UAC on a UDP socket that sends the INVITE the framework asks for (with its
 * correlation headers) and an offer for its {@link RtpPeer}, ACKs the 200, answers the server's BYE, and sends BYE.
 */
final class TestUac implements MediaSignaling, AutoCloseable {

    private static final Pattern SIP_URI = Pattern.compile("sip:[^@]+@([^:;>]+):(\\d+)");
    private final DatagramSocket socket;
    private final Map<String, BlockingQueue<SipMessage>> byCallId = new ConcurrentHashMap<>();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    /** The RTP peer of the last call placed, by its SIP Call-ID. */
    final Map<String, RtpPeer> peers = new ConcurrentHashMap<>();

    TestUac() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread reader = new Thread(this::read, "test-uac");
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
                String callId = m.callId().orElse("");
                if (m instanceof SipRequest r && r.isMethod("BYE")) {
                    send(SipResponse.forRequest(r, 200).build().toString(), (InetSocketAddress) p.getSocketAddress());
                    Call call = calls.remove(callId);
                    if (call != null) {
                        call.ended.complete(null);
                    }
                } else {
                    byCallId.computeIfAbsent(callId, k -> new LinkedBlockingQueue<>()).add(m);
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void send(String text, InetSocketAddress to) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, to));
    }

    @Override
    public CompletionStage<Dialog> answer(SipRequest invite, String sdp) {
        throw new UnsupportedOperationException("the test UAC places calls; it has no callers to answer");
    }

    @Override
    public void reject(SipRequest invite, int status, String reason) {
        throw new UnsupportedOperationException("the test UAC places calls; it has no callers to answer");
    }

    @Override
    public CompletionStage<MediaCall> invite(String requestUri, Map<String, String> headers, Optional<String> sdp) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return place(requestUri, headers, sdp);
            } catch (IOException | InterruptedException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private MediaCall place(String requestUri, Map<String, String> headers, Optional<String> sdp)
            throws IOException, InterruptedException {
        Matcher m = SIP_URI.matcher(requestUri);
        if (!m.find()) {
            throw new IllegalArgumentException(requestUri);
        }
        Call call = new Call(requestUri, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
        calls.put(call.callId, call);
        RtpPeer peer = new RtpPeer();
        String offer = sdp.orElse(peer.offer());
        send(call.request("INVITE", 1, headers, offer), call.server);
        SipResponse response = call.finalResponse("INVITE", 1);
        if (!response.isSuccess()) {
            peer.close();
            throw new IllegalStateException("INVITE answered " + response.status());
        }
        call.toTag = response.to().tag().orElseThrow();
        send(call.request("ACK", 1, Map.of(), null), call.server);
        peer.answer(response.bodyAsString());
        peers.put(call.callId, peer);
        return call;
    }

    /** One call to the server. */
    final class Call implements MediaCall {
        final String callId = UUID.randomUUID() + "@127.0.0.1";
        final String fromTag = Long.toHexString(System.nanoTime());
        final String target;
        final InetSocketAddress server;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        // the INVITE was 1
        private final java.util.concurrent.atomic.AtomicInteger cseq = new java.util.concurrent.atomic.AtomicInteger(1);
        volatile String toTag;

        Call(String target, InetSocketAddress server) {
            this.target = target;
            this.server = server;
        }

        String request(String method, int seq, Map<String, String> headers, String body) {
            return request(method, seq, headers, body, "z9hG4bK" + Long.toHexString(System.nanoTime()));
        }

        String request(String method, int seq, Map<String, String> headers, String body, String branch) {
            StringBuilder b = new StringBuilder();
            int port = socket.getLocalPort();
            b.append(method).append(' ').append(target).append(" SIP/2.0\r\n");
            b.append("Via: SIP/2.0/UDP 127.0.0.1:").append(port).append(";rport;branch=").append(branch).append("\r\n");
            b.append("Max-Forwards: 70\r\n");
            b.append("From: <sip:mrf@127.0.0.1:").append(port).append(">;tag=").append(fromTag).append("\r\n");
            b.append("To: <").append(target).append(">").append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
            b.append("Call-ID: ").append(callId).append("\r\n");
            b.append("CSeq: ").append(seq).append(' ').append(method).append("\r\n");
            b.append("Contact: <sip:mrf@127.0.0.1:").append(port).append(">\r\n");
            headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                b.append("Content-Type: application/sdp\r\n");
            }
            b.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            if (body != null) {
                b.append(body);
            }
            return b.toString();
        }

        SipResponse finalResponse(String method, int seq) throws InterruptedException {
            BlockingQueue<SipMessage> queue = byCallId.computeIfAbsent(callId, k -> new LinkedBlockingQueue<>());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                SipMessage m = queue.poll(100, TimeUnit.MILLISECONDS);
                if (m instanceof SipResponse r && r.cseq().method().equals(method) && r.cseq().number() == seq
                        && !r.isProvisional()) {
                    return r;
                }
            }
            throw new AssertionError("no final response to " + method + " within 10 s");
        }

        /** Sends a re-INVITE and ACKs its 2xx; completes with the answer, fails on a failure response. */
        @Override
        public CompletionStage<String> modify(String sdp) {
            return CompletableFuture.supplyAsync(() -> {
                int seq = cseq.incrementAndGet();
                String branch = "z9hG4bK" + Long.toHexString(System.nanoTime());
                try {
                    send(request("INVITE", seq, Map.of(), sdp, branch), server);
                    SipResponse response = finalResponse("INVITE", seq);
                    if (!response.isSuccess()) {
                        // the ACK of a failure belongs to the INVITE's transaction
                        send(request("ACK", seq, Map.of(), null, branch), server);
                        throw new IllegalStateException("re-INVITE answered " + response.status());
                    }
                    send(request("ACK", seq, Map.of(), null), server);
                    return response.bodyAsString();
                } catch (IOException | InterruptedException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        }

        /** Sends BYE now (the far end hangs up); completes with the 200. */
        @Override
        public CompletionStage<Void> hangup() {
            if (calls.remove(callId) == null) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.runAsync(() -> {
                int seq = cseq.incrementAndGet();
                try {
                    send(request("BYE", seq, Map.of(), null), server);
                    finalResponse("BYE", seq);
                } catch (IOException | InterruptedException e) {
                    throw new java.util.concurrent.CompletionException(e);
                } finally {
                    ended.complete(null);
                }
            });
        }
    }

    /** The call whose Call-ID is {@code callId}, while it is up. */
    Call call(String callId) {
        return calls.get(callId);
    }

    @Override
    public void close() {
        socket.close();
        peers.values().forEach(RtpPeer::close);
    }
}
