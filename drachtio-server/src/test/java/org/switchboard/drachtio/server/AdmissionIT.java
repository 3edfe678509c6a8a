package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.sipp.Sipp;

/**
 * Floods and spammers from their own loopback addresses while a caller on another address places calls: the flood
 * is refused 503 past its rate, the spammer 603, both counted, and every call of the other caller succeeds.
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
        return Sipp.scenario(Interop.path("sipp/uac-refusable.xml")).target(TestServers.sipTarget(server))
                .args("-i", from, "-p", Integer.toString(TestServers.freeUdpPort()))
                .args(args).deadline(Duration.ofSeconds(40)).start();
    }

    private double refused(String reason) {
        return meters.get("drachtio.requests.refused").tags("reason", reason, "action", "reject").functionCounter().count();
    }

    @Test
    void aFloodAndASpammerAreRefusedWhileAnotherCallersCallsAllSucceed() throws Exception {
        server = TestServers.start(b -> b.meterRegistry(meters).rateLimit(new RateLimit(RATE, (int) RATE, RefusalMode.REJECT))
                .spammers("To", List.of("sipvicious")));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Running flood = sipp("127.0.0.2", "-r", "400", "-m", "1200", "-l", "1200");
            Sipp.Running spammer = sipp("127.0.0.4", "-s", "sipvicious-probe", "-r", "10", "-m", "10");
            Sipp.Running caller = sipp("127.0.0.3", "-r", "10", "-m", "30");

            Sipp.Result calls = caller.await();
            Sipp.Result flooded = flood.await();
            Sipp.Result spam = spammer.await();

            // every call of each ends, answered or refused; the server's counters tell which
            for (Sipp.Result r : List.of(calls, flooded, spam)) {
                assertThat(r.exitCode()).as(r.describe()).isZero();
            }
            assertThat(calls.successfulCalls()).isEqualTo(30);
            assertThat(flooded.successfulCalls()).isEqualTo(1200);
            // the flood lasts about 3 s: about 20 a second (and the burst of 20) get through, the rest are refused
            assertThat(refused("rate-limit")).isBetween(1200 - 200.0, 1200 - RATE);
            assertThat(refused("spammer")).isEqualTo(10);
            assertThat(app.answered()).isEqualTo(30 + 1200 - (long) refused("rate-limit"));
        }
    }
}
