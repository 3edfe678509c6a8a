package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Floods and spammers from their own loopback addresses while a caller on another address places calls: the flood
 * is refused 503 past its rate, the spammer 603, both counted, and every call of the other caller succeeds. In
 * discard mode, over UDP and over TCP, the same refusals go unanswered (the spammer hears nothing at all), are
 * counted, and neither the caller's calls nor its connection suffer.
 */
class AdmissionIT {

    private static final double RATE = 20;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DrachtioServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Sipp.Running sipp(String from, String... args) {
        return sippWith("uac-refusable.xml", from, args);
    }

    private Sipp.Running sippWith(String scenario, String from, String... args) {
        return Sipp.scenario(Interop.path("sipp/" + scenario)).target(TestServers.sipTarget(server))
                .args("-i", from, "-p", Integer.toString(FreePorts.udp()))
                .args(args).deadline(Duration.ofSeconds(40)).start();
    }

    private double refused(String reason) {
        return refused(reason, "reject");
    }

    private double refused(String reason, String action) {
        return meters.get("drachtio.requests.refused").tags("reason", reason, "action", action).functionCounter().count();
    }

    @Test
    void aFloodAndASpammerAreRefusedWhileAnotherCallersCallsAllSucceed() throws Exception {
        server = TestServers.start(b -> b.meterRegistry(meters).rateLimit(new RateLimit(RATE, (int) RATE, RefusalMode.REJECT))
                .spammers("To", List.of("sipvicious")));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            long start = System.nanoTime();
            Sipp.Running flood = sipp("127.0.0.2", "-r", "400", "-m", "1200", "-l", "1200");
            Sipp.Running spammer = sipp("127.0.0.4", "-s", "sipvicious-probe", "-r", "10", "-m", "10");
            Sipp.Running caller = sipp("127.0.0.3", "-r", "10", "-m", "30");

            Sipp.Result calls = caller.await();
            Sipp.Result flooded = flood.await();
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            Sipp.Result spam = spammer.await();

            // every call of each ends, answered or refused; the server's counters tell which
            for (Sipp.Result r : List.of(calls, flooded, spam)) {
                assertThat(r.exitCode()).as(r.describe()).isZero();
            }
            assertThat(calls.successfulCalls()).isEqualTo(30);
            assertThat(flooded.successfulCalls()).isEqualTo(1200);
            // about 3 s on a quiet machine (longer under load): 20 a second and the burst of 20 get through at most
            assertThat(refused("rate-limit")).isBetween(1200 - RATE * (floodSeconds + 1), 1200 - RATE);
            assertThat(refused("spammer")).isEqualTo(10);
            assertThat(app.answered()).isEqualTo(30 + 1200 - (long) refused("rate-limit"));
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"u1", "t1"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void inDiscardModeAFloodAndASpammerGetNoAnswerWhileAnotherCallersCallsAllSucceed(String transport) throws Exception {
        server = TestServers.start(b -> b.meterRegistry(meters).rateLimit(new RateLimit(RATE, (int) RATE, RefusalMode.DISCARD))
                .spammers(new SpammerRules(Map.of("To", List.of("sipvicious")), RefusalMode.DISCARD, RefusalMode.DISCARD)));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            // no retransmissions: each dropped INVITE is counted once; a flood call that is dropped fails after 3 s
            long start = System.nanoTime();
            Sipp.Running flood = sipp("127.0.0.2", "-t", transport, "-nr", "-recv_timeout", "3000",
                    "-r", "400", "-m", "1200", "-l", "1200");
            Sipp.Running spammer = sippWith("uac-unanswered.xml", "127.0.0.4", "-t", transport, "-nr",
                    "-s", "sipvicious-probe", "-r", "10", "-m", "20"); // within the rate: refused as a spammer only
            Sipp.Running caller = sipp("127.0.0.3", "-t", transport, "-r", "10", "-m", "30");

            Sipp.Result calls = caller.await();
            Sipp.Result flooded = flood.await();
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            Sipp.Result spam = spammer.await();

            assertThat(calls.exitCode()).as(calls.describe()).isZero();
            assertThat(calls.successfulCalls()).as(calls.describe()).isEqualTo(30);
            // a spammer's call succeeds only when nothing at all came back to it, not even 100 Trying
            assertThat(spam.successfulCalls()).as(spam.describe()).isEqualTo(20);
            assertThat(refused("spammer", "discard")).isEqualTo(20);
            // each INVITE of the flood was taken (the app answered it) or dropped unanswered and counted; the server
            // says which, since under load sipp may give up on a taken call before its BYE is answered
            Poll.await(Duration.ofSeconds(10), "every INVITE of the flood taken or dropped",
                    () -> app.answered() - 30 + (long) refused("rate-limit", "discard") == 1200);
            long taken = app.answered() - 30;
            // 20 a second and the burst of 20 at most (the flood's time includes the 3 s its dropped calls wait)
            assertThat((double) taken).as(flooded.describe()).isBetween(RATE, RATE * (floodSeconds + 1));
            assertThat(flooded.successfulCalls()).as(flooded.describe()).isLessThanOrEqualTo(taken);
            assertThat(refused("rate-limit", "reject") + refused("spammer", "reject")).isZero();
        }
    }
}
