package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.time.ManualScheduler;

/**
 * The UAS's own timers on virtual time, with RFC 3261's T1 = 500 ms and T2 = 4 s: the ring time, the 2xx
 * retransmissions (T1, doubling up to T2, for a re-INVITE's 2xx too) and the BYE after 64 T1 without ACK. Messages go over real UDP; only the
 * user agent's clock is the test's.
 */
class UserAgentTimersTest {

    final ManualScheduler timers = new ManualScheduler();
    UserAgent ua;
    DatagramSocket peer;

    @BeforeEach
    void openPeer() throws Exception {
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(5000);
    }

    @AfterEach
    void stop() {
        peer.close();
        if (ua != null) {
            ua.close();
        }
    }

    void start(Duration ringTime) {
        ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                        TimerConfig.DEFAULTS))
                .ringTime(ringTime)
                .build(), timers);
    }

    @Test
    void the2xxGoesOutAgainAtT1DoublingUpToT2AndAByeEndsTheCallAfter64T1WithoutAck() throws Exception {
        start(Duration.ZERO);
        send("INVITE", null, "i1");
        SipResponse ok = next(SipResponse.class, "the 200");
        assertThat(ok.status()).isEqualTo(200);
        long[] intervals = {500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000};
        for (long interval : intervals) {
            assertThat(timers.nextDue()).as("the next retransmission").contains(Duration.ofMillis(interval));
            timers.advance(Duration.ofMillis(interval));
            assertThat(next(SipResponse.class, "a retransmitted 200 at " + timers.elapsed().toMillis() + " ms").status())
                    .isEqualTo(200);
        }
        assertThat(timers.elapsed()).isEqualTo(Duration.ofMillis(31_500));
        assertThat(timers.nextDue()).as("the give-up at 64 T1").contains(Duration.ofMillis(500));
        timers.advance(Duration.ofMillis(499));
        assertThat(ua.stats().ackTimeouts()).isZero();
        timers.advance(Duration.ofMillis(1));
        assertThat(ua.stats().ackTimeouts()).isOne();
        SipRequest bye = next(SipRequest.class, "the BYE");
        assertThat(bye.method()).isEqualTo("BYE");
        assertThat(bye.to().tag()).isEqualTo(ok.from().tag());
        assertThat(timers.pending()).as("no timer of the call left").isZero();
    }

    @Test
    void theAckStopsTheRetransmissionsAndTheGiveUp() throws Exception {
        start(Duration.ZERO);
        send("INVITE", null, "i1");
        String tag = next(SipResponse.class, "the 200").to().tag().orElseThrow();
        timers.advance(Duration.ofMillis(500));
        next(SipResponse.class, "the first retransmission");
        send("ACK", tag, "a1");
        Poll.await(Duration.ofSeconds(10), "the ACK read and the wait canceled", () -> timers.pending() == 0);
        timers.advance(Duration.ofSeconds(64));
        assertThat(ua.stats().ackTimeouts()).isZero();
        assertThat(ua.dialogs()).hasSize(1);
    }

    @Test
    void theUasRingsForItsRingTimeThenAnswers() throws Exception {
        start(Duration.ofSeconds(3));
        send("INVITE", null, "i1");
        assertThat(next(SipResponse.class, "the 180").status()).isEqualTo(180);
        Poll.await(Duration.ofSeconds(10), "the answer scheduled", () -> timers.pending() == 1);
        assertThat(timers.nextDue()).contains(Duration.ofSeconds(3));
        timers.advance(Duration.ofMillis(2999));
        assertThat(ua.stats().answered()).isZero();
        timers.advance(Duration.ofMillis(1));
        assertThat(next(SipResponse.class, "the 200").status()).isEqualTo(200);
        assertThat(ua.stats().answered()).isOne();
    }

    @Test
    void theAnswerToAReInviteGoesOutAgainUntilItsAckAndARequestBelowTheLastCSeqGets500() throws Exception {
        start(Duration.ZERO);
        send("INVITE", null, "i1");
        String tag = next(SipResponse.class, "the 200").to().tag().orElseThrow();
        send("ACK", tag, "a1");
        Poll.await(Duration.ofSeconds(10), "the ACK read and the wait canceled", () -> timers.pending() == 0);

        send("INVITE", tag, "i2", 5);
        assertThat(next(SipResponse.class, "the 200 to the re-INVITE").cseq().number()).isEqualTo(5);
        assertThat(timers.nextDue()).as("the re-INVITE's 2xx waits for its ACK").contains(Duration.ofMillis(500));
        timers.advance(Duration.ofMillis(500));
        SipResponse again = next(SipResponse.class, "the re-INVITE's 200 again");
        assertThat(List.of(again.status(), again.cseq().number())).containsExactly(200, 5L);
        send("ACK", tag, "a2", 5);
        Poll.await(Duration.ofSeconds(10), "the re-INVITE's ACK read and its wait canceled", () -> timers.pending() == 0);

        send("INFO", tag, "n1", 3);
        SipResponse outOfOrder = next(SipResponse.class, "the answer to an INFO below the last CSeq");
        assertThat(outOfOrder.status()).isEqualTo(500);
        assertThat(ua.dialogs()).hasSize(1);
    }

    int port() {
        return ua.stack().transport().listenPoints().get(0).address().getPort();
    }

    void send(String method, String toTag, String branch) throws Exception {
        send(method, toTag, branch, 1);
    }

    void send(String method, String toTag, String branch, long cseq) throws Exception {
        String text = method + " sip:ms@127.0.0.1:" + port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bK" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:ms@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: c1@127.0.0.1\r\nCSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:a@127.0.0.1:" + peer.getLocalPort() + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port())));
    }

    /** The next message of that kind from the user agent, 100 Trying skipped. */
    <T extends SipMessage> T next(Class<T> kind, String what) throws Exception {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
            try {
                peer.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no " + what + " within 5 s", e);
            }
            SipMessage m = SipMessage.parse(Arrays.copyOf(p.getData(), p.getLength()));
            if (m instanceof SipResponse r && r.status() == 100) {
                continue;
            }
            assertThat(m).as(what).isInstanceOf(kind);
            return kind.cast(m);
        }
    }
}
