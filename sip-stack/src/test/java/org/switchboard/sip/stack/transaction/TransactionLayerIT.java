package org.switchboard.sip.stack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.testing.poll.Poll;

/**
 * Transaction behaviour checked message by message against a scripted peer on a plain socket: what
 * sipp cannot be made to show precisely (RFC 2543 matching, the UDP to TCP switch, transport errors), and one
 * timeout on real time with its retransmissions as they reach a socket. The timers themselves, every retransmission
 * schedule and wait state, are checked on virtual time in {@link TransactionTimersTest}.
 */
class TransactionLayerIT {

    private static final TimerConfig FAST = TimerConfig.scaled(Duration.ofMillis(40)); // 64 T1 = 2.56 s

    private final List<ServerTransaction> requests = new CopyOnWriteArrayList<>();
    private final List<Optional<ServerTransaction>> cancels = new CopyOnWriteArrayList<>();
    private final List<IncomingMessage> acks = new CopyOnWriteArrayList<>();
    private SipStack stack;
    private DatagramSocket peer;
    private int port;

    @BeforeEach
    void start() throws IOException {
        stack = SipStack.start(new SipStackConfig(TransportConfig.builder()
                .listen(Transport.UDP, "127.0.0.1", 0).listen(Transport.TCP, "127.0.0.1", 0).mtu(1500).build(), FAST),
                new TransactionUser() {
                    @Override
                    public void onRequest(ServerTransaction transaction) {
                        requests.add(transaction);
                    }

                    @Override
                    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
                        cancels.add(invite);
                        cancel.respond(SipResponse.forRequest(cancel.request(), 200).build());
                    }

                    @Override
                    public void onAck(IncomingMessage ack) {
                        acks.add(ack);
                    }

                    @Override
                    public void onStrayResponse(IncomingMessage response) {
                    }
                });
        port = stack.transport().listenPoints().get(0).address().getPort();
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(3000);
    }

    @AfterEach
    void stop() {
        stack.close();
        peer.close();
    }

    private String invite(String branch, String extra) {
        return "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:" + peer.getLocalPort() + (branch == null ? "" : ";branch=" + branch) + ";rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>\r\nFrom: <sip:alice@192.0.2.1>;tag=a1\r\n"
                + "Call-ID: call-" + branch + "\r\nCSeq: 7 INVITE\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private void send(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
    }

    private SipMessage receive() throws IOException {
        byte[] buffer = new byte[65535];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        peer.receive(p);
        return SipMessage.parse(buffer, 0, p.getLength());
    }

    private List<SipMessage> receiveFor(Duration window) throws IOException {
        List<SipMessage> out = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            peer.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            try {
                out.add(receive());
            } catch (SocketTimeoutException e) {
                break;
            }
        }
        peer.setSoTimeout(3000);
        return out;
    }

    @Test
    void inviteGets100TryingWithRportAndRetransmissionsAreAbsorbed() throws Exception {
        send(invite("z9hG4bKa", ""));
        SipResponse trying = (SipResponse) receive();
        assertThat(trying.status()).isEqualTo(100);
        assertThat(trying.topVia().received()).hasValue("127.0.0.1");
        assertThat(trying.topVia().rport()).hasValue(peer.getLocalPort());
        send(invite("z9hG4bKa", ""));
        assertThat(((SipResponse) receive()).status()).as("the retransmission gets the last response again").isEqualTo(100);
        assertThat(requests).hasSize(1);
    }

    @Test
    void anAckWhoseCSeqNamesTheInviteStillReachesTheTransactionUser() throws Exception {
        send(invite("z9hG4bKm", ""));
        receive(); // 100
        ServerTransaction tx = firstRequest();
        tx.respond(SipResponse.forRequest(tx.request(), 200).setHeader("To", "<sip:bob@127.0.0.1>;tag=m1").build());
        receive(); // 200
        send("ACK sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:" + peer.getLocalPort() + ";branch=z9hG4bKm2;rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>;tag=m1\r\nFrom: <sip:alice@192.0.2.1>;tag=a1\r\n"
                + "Call-ID: call-z9hG4bKm\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");

        Poll.await(Duration.ofSeconds(5), "the ACK passed on", () -> !acks.isEmpty());
        assertThat(acks.get(0).message().cseq().number()).isEqualTo(7);
    }

    @Test
    void aMalformedRequestIsAnswered400WithAWarningWhereItCameFromNotToItsVia() throws Exception {
        send("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKn\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>\r\nFrom: <sip:alice@192.0.2.1>;tag=a1\r\n"
                + "Call-ID: call-n\r\nCSeq: 8 INVITE\r\nContent-Length: 0\r\n\r\n");

        SipResponse rejected = (SipResponse) receive();
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("CSeq"));
        assertThat(requests).isEmpty();
    }

    @Test
    void rfc2543RequestsMatchWithoutBranch() throws Exception {
        send(invite(null, ""));
        receive(); // 100
        send(invite(null, ""));
        receive(); // 100 again
        assertThat(requests).hasSize(1);
    }

    @Test
    void cancelIsMatchedToItsInvite() throws Exception {
        send(invite("z9hG4bKc", ""));
        receive();
        send("CANCEL sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:" + peer.getLocalPort() + ";branch=z9hG4bKc;rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>\r\nFrom: <sip:alice@192.0.2.1>;tag=a1\r\n"
                + "Call-ID: call-z9hG4bKc\r\nCSeq: 7 CANCEL\r\nContent-Length: 0\r\n\r\n");
        SipResponse ok = (SipResponse) receive();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.cseq().method()).isEqualTo("CANCEL");
        assertThat(cancels).hasSize(1);
        assertThat(cancels.get(0)).containsSame(firstRequest());
    }

    /** The one timer test on real time: the deadline scheduler and a socket, as deployed. */
    @Test
    void clientNonInviteTimesOutAfter64T1() throws Exception {
        BlockingQueue<Integer> responses = new LinkedBlockingQueue<>();
        SipRequest options = outgoing("OPTIONS", "sip:peer@127.0.0.1", "c-opt").build();
        long start = System.nanoTime();
        stack.transactions().sendRequest(options, new Destination(Transport.UDP, (InetSocketAddress) peer.getLocalSocketAddress()),
                recorder(responses));
        assertThat(responses.poll(5, TimeUnit.SECONDS)).as("Timer F").isEqualTo(408);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsed).isBetween(2400L, 3500L);
        // Timer E: 0, 40, 120, 280, then every T2 = 320 ms until 2560 ms: about 11 copies
        List<SipMessage> copies = receiveFor(Duration.ofMillis(100));
        assertThat(copies.size()).isBetween(8, 14);
    }

    @Test
    void largeRequestSwitchesFromUdpToTcp() throws Exception {
        try (ServerSocket tcpPeer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tcpPeer.setSoTimeout(3000);
            SipRequest big = outgoing("MESSAGE", "sip:peer@127.0.0.1:" + tcpPeer.getLocalPort(), "c-big")
                    .body("text/plain", "x".repeat(1400)).build();
            ClientTransaction tx = stack.transactions().sendRequest(big,
                    new Destination(Transport.UDP, new InetSocketAddress("127.0.0.1", tcpPeer.getLocalPort())),
                    recorder(new LinkedBlockingQueue<>()));
            assertThat(tx.destination().transport()).isEqualTo(Transport.TCP);
            assertThat(tx.request().topVia().transport()).isEqualTo("TCP");
            try (Socket s = tcpPeer.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(8);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("MESSAGE ");
            }
        }
    }

    @Test
    void refusedConnectionIsATransportErrorEvent() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        BlockingQueue<Integer> responses = new LinkedBlockingQueue<>();
        SipRequest options = outgoing("OPTIONS", "sip:peer@127.0.0.1;transport=tcp", "c-err").build();
        stack.transactions().sendRequest(options, new Destination(Transport.TCP, new InetSocketAddress("127.0.0.1", closed)),
                recorder(responses));
        assertThat(responses.poll(5, TimeUnit.SECONDS)).isEqualTo(503);
        assertThat(stack.transport().stats().sendFailures()).isPositive();
    }

    /** A request from us to the peer, without Via (the transaction layer adds it). */
    private static SipRequest.Builder outgoing(String method, String uri, String callId) {
        return SipRequest.builder(method, uri).addHeader("Max-Forwards", "70").addHeader("From", "<sip:us@127.0.0.1>;tag=u1")
                .addHeader("To", "<sip:peer@127.0.0.1>").addHeader("Call-ID", callId).addHeader("CSeq", "1 " + method);
    }

    /** The first request the TU saw; the 100 Trying goes out just before the TU is called. */
    private ServerTransaction firstRequest() throws InterruptedException {
        Poll.await(Duration.ofSeconds(5), "the request at the TU", () -> !requests.isEmpty());
        return requests.get(0);
    }

    /** Final statuses as they arrive; 408 for a timeout, 503 for a transport error. */
    private static ResponseListener recorder(BlockingQueue<Integer> out) {
        return new ResponseListener() {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (response.status() >= 200) {
                    out.add(response.status());
                }
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
                out.add(408);
            }

            @Override
            public void onTransportError(ClientTransaction tx, TransportError error) {
                out.add(503);
            }
        };
    }
}
