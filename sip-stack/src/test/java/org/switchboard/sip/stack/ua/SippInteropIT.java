package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/** The user agent core against sipp, a real SIP peer, over loopback. */
class SippInteropIT {

    private UserAgent ua;

    @AfterEach
    void stop() {
        if (ua != null) {
            ua.close();
        }
    }

    private UserAgent start(TimerConfig timers, Duration ring) {
        ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder()
                        .listen(Transport.UDP, "127.0.0.1", 0)
                        .listen(Transport.TCP, "127.0.0.1", 0)
                        .build(), timers))
                .ringTime(ring)
                .build());
        return ua;
    }

    private String target(Transport transport) {
        return "127.0.0.1:" + ua.stack().transport().listenPoints().stream()
                .filter(p -> p.transport() == transport).findFirst().orElseThrow().address().getPort();
    }

    @Test
    void sippUacCallsOverUdp() throws Exception {
        start(TimerConfig.DEFAULTS, Duration.ZERO);
        Sipp.Result r = Sipp.builtIn("uac").target(target(Transport.UDP))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "500", "-r", "250", "-l", "300")
                .deadline(Duration.ofSeconds(60)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(500);
        assertThat(r.failedCalls()).as(r.describe()).isZero();
        assertThat(ua.stats().answered()).isEqualTo(500);
        assertThat(ua.stats().byesReceived()).isEqualTo(500);
        awaitNoDialog();
    }

    @Test
    void sippUacCallsOverTcp() throws IOException {
        start(TimerConfig.DEFAULTS, Duration.ZERO);
        Sipp.Result r = Sipp.builtIn("uac").target(target(Transport.TCP))
                .args("-t", "t1", "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "500", "-r", "250", "-l", "300")
                .deadline(Duration.ofSeconds(60)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(500);
        assertThat(r.failedCalls()).as(r.describe()).isZero();
        assertThat(ua.stats().byesReceived()).isEqualTo(500);
        assertThat(ua.stack().transport().stats().malformedInputs()).isZero();
    }

    @Test
    void ourUacCallsSippUasAndHangsUp() throws Exception {
        start(TimerConfig.DEFAULTS, Duration.ZERO);
        int port = FreePorts.udp();
        int calls = 20;
        Sipp.Running sipp = Sipp.builtIn("uas").args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(40)).start().awaitUdpBound(port, Duration.ofSeconds(10));
        Destination sippAddress = new Destination(Transport.UDP, new InetSocketAddress("127.0.0.1", port));
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            done.add(ua.invite(SipUri.parse("sip:service@127.0.0.1:" + port), sippAddress, "v=0\r\n"
                            + "o=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n")
                    .thenCompose(dialog -> {
                        assertThat(dialog.isConfirmed()).isTrue();
                        assertThat(dialog.remoteTag()).isNotEmpty();
                        return dialog.bye();
                    })
                    .thenApply(response -> response.status()));
        }
        for (CompletableFuture<Integer> call : done) {
            assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(200);
        }
        Sipp.Result r = sipp.await();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(calls);
    }

    @Test
    void twoHundredIsRetransmittedUntilGiveUpThenBye() throws Exception {
        // T1 = 50 ms: 64 T1 = 3.2 s instead of 32 s
        start(TimerConfig.scaled(Duration.ofMillis(50)), Duration.ZERO);
        Path scenario = Interop.path("switchboard-sipp/uac-withhold-ack.xml");
        Sipp.Result r = Sipp.scenario(scenario).target(target(Transport.UDP))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1")
                .deadline(Duration.ofSeconds(30)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(ua.stats().ackTimeouts()).isEqualTo(1);
        // 100 Trying, the 200, its retransmissions at 50, 100, 200, 400, 400 ... ms, and the BYE
        long sent = ua.stack().transport().stats().messagesSent();
        assertThat(sent).as("messages sent, 2xx retransmissions included").isGreaterThanOrEqualTo(9);
        awaitNoDialog();
    }

    @Test
    void cancelWhileRingingGets487() throws Exception {
        start(TimerConfig.DEFAULTS, Duration.ofSeconds(5));
        Sipp.Result r = Sipp.scenario(Interop.path("sipp/uac-cancel.xml")).target(target(Transport.UDP))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "3", "-s", "service")
                .deadline(Duration.ofSeconds(30)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.successfulCalls()).isEqualTo(3);
        assertThat(ua.stats().cancelled()).isEqualTo(3);
        assertThat(ua.stats().answered()).isZero();
        awaitNoDialog();
    }

    /** sipp may end as soon as its last response was sent: the dialog goes just after, on the stack's thread. */
    private void awaitNoDialog() throws InterruptedException {
        Poll.await(Duration.ofSeconds(5), "every dialog ended", () -> ua.dialogs().isEmpty());
    }
}
