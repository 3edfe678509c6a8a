package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * What the server does on its own (conformance checks 12, 14, 27 in docs/drachtio.md) with sipp as the caller and the
 * Java client as the app, on shortened timers: T1 = 50 ms (64 T1 = 3.2 s), Min-SE = 1 s.
 */
class ServerBehaviourIT {

    private DrachtioServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Sipp.Result call(String scenario) {
        return Sipp.scenario(Interop.path("switchboard-sipp/" + scenario)).target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1")
                .deadline(Duration.ofSeconds(30)).run();
    }

    private static void awaitUnsolicited(JavaUasApp app, int count) throws InterruptedException {
        Poll.until(Duration.ofSeconds(5), () -> app.unsolicited().size() >= count);
    }

    @Test
    void aWithheldAckEndsTheCallWithByeAndTellsTheApp() throws Exception {
        server = TestServers.start(Duration.ofMillis(50), DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false, Duration.ofSeconds(90));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            long started = System.nanoTime();
            Sipp.Result r = call("uac-withhold-ack.xml");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(3200));
            awaitUnsolicited(app, 1);
            assertThat(app.unsolicited()).containsExactly("SIP ;cause=200 ;text=\"ACK timeout\"");
            assertThat(server.dialogCount()).isZero();
        }
    }

    @Test
    void aCancelAfterThe200Gets481AndTheCallEnds() throws Exception {
        server = TestServers.start(Duration.ofMillis(50), DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false, Duration.ofSeconds(90));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Result r = call("uac-cancel-after-200.xml");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            awaitUnsolicited(app, 1);
            assertThat(app.unsolicited()).containsExactly("SIP ;cause=200 ;text=\"CANCEL after 200 OK\"");
            assertThat(app.canceled()).as("the app is told by the BYE, not by a CANCEL").isZero();
        }
    }

    @Test
    void aPeerThatDoesNotRefreshItsSessionIsHungUp() throws Exception {
        server = TestServers.start(Duration.ofMillis(50), DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false, Duration.ofSeconds(1));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200, "Session-Expires: 2;refresher=uac\r\n")) {
            long started = System.nanoTime();
            Sipp.Result r = call("uac-await-bye.xml");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            awaitUnsolicited(app, 1);
            assertThat(app.unsolicited()).isEqualTo(List.of("SIP ;cause=200 ;text=\"Session timer expired\""));
        }
    }

    @Test
    void aReInviteBelowMinSeIsRefused422WithoutReachingTheApp() throws Exception {
        server = TestServers.start(Duration.ofMillis(50), DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false, Duration.ofSeconds(90));
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Result r = call("uac-reinvite-short-timer.xml");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(app.inDialog()).as("only the BYE reached the app").isEqualTo(1);
        }
    }

    @Test
    void anAppThatDisconnectsHasItsDialogsEndedWithBye() throws Exception {
        server = TestServers.start(Duration.ofMillis(50), DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false, Duration.ofSeconds(90));
        JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200);
        Sipp.Running caller = Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml")).target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1")
                .deadline(Duration.ofSeconds(30)).start();
        Poll.await(Duration.ofSeconds(10), "the call's dialog", () -> server.dialogCount() > 0);
        assertThat(server.dialogCount()).isEqualTo(1);
        app.close(); // drachtio-server would leave this call up forever; here the caller gets a BYE
        Sipp.Result r = caller.await();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(server.dialogCount()).isZero();
    }
}
