package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The call watchdog through the container and its embedded server, with short settings: a call no application
 * answers gets 480 at {@code answer.timeout} (not the server's 408), an answered call with nothing in its dialog is
 * ended at {@code call.max-duration} with a BYE whose Reason says why and a DESTROY event to its application, and
 * both are counted.
 */
class WatchdogIT {

    @TempDir
    static Path dir;
    static int sipPort;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        System.clearProperty("watchdog.destroyed");
        TestDeployments deployments = TestDeployments.in(dir).invitesTo("watchdog", "org.switchboard.testapps.watchdog");
        sipPort = deployments.sipPort();
        container = deployments.start("udp", "answer.timeout", "2", "call.max-duration", "2", "media.mode", "none");
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        NoCallLeft.assertNoCallLeft(container);
    }

    private static Sipp.Result call(Sipp sipp, String user) {
        return sipp.target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0", "-s", user, "-m", "1")
                .deadline(Duration.ofSeconds(40)).run();
    }

    @Test
    void theEmbeddedServerWaitsLongerThanTheAnswerTimeout() {
        assertThat(Container.serverAnswerTimeout(Duration.ofSeconds(2))).isGreaterThan(Duration.ofSeconds(2));
        assertThat(Container.serverAnswerTimeout(Duration.ofMinutes(10))).as("above 64 s too")
                .isGreaterThan(Duration.ofMinutes(10));
    }

    @Test
    void aCallNobodyAnswersGets480AtTheAnswerTimeout() {
        long before = container.sip().watchdogCounts().unanswered();
        long started = System.nanoTime();
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "silent");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(r.successfulCalls()).as("480, not 408: " + r.describe()).isEqualTo(1);
        assertThat(took).as("answered at answer.timeout").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(container.sip().watchdogCounts().unanswered()).isEqualTo(before + 1);
    }

    @Test
    void anIdleCallIsEndedWithByeAReasonAndAnEvent() throws Exception {
        long before = container.sip().watchdogCounts().idleDialogsEnded();
        Sipp.Result r = call(Sipp.scenario(Path.of(WatchdogIT.class.getResource("/sipp/uac-await-watchdog-bye.xml").toURI())),
                "idle");
        assertThat(r.successfulCalls()).as("BYE with the watchdog's Reason: " + r.describe()).isEqualTo(1);
        Poll.await(Duration.ofSeconds(5), "the application saw the DESTROY", () -> System.getProperty("watchdog.destroyed") != null);
        assertThat(System.getProperty("watchdog.destroyed")).isEqualTo("max duration");
        assertThat(container.sip().watchdogCounts().idleDialogsEnded()).isEqualTo(before + 1);
    }
}
