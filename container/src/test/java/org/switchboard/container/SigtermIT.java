package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * {@code ./switchboard run} as the launcher starts it (its class path, its logging configuration), stopped with
 * SIGTERM while a call is up: it says what it drains, ends the call with BYE, logs the call's line, logs no warning
 * and leaves no work folder behind; {@code --log-level debug} turns on debug logging.
 */
class SigtermIT {

    @TempDir
    Path dir;

    @Test
    void sigtermDrainsEndsTheCallAndLeavesNothingBehind() throws Exception {
        int sipPort = FreePorts.udp();
        try (ContainerProcess run = ContainerProcess.start("run", dir, "uas", Map.of(), List.of(
                "--set", "sip.contacts=sip:127.0.0.1:" + sipPort + ";transport=udp",
                "--set", "shutdown.drain=2",
                "--set", "admin.listen=127.0.0.1:0",
                "--log-level", "debug"))) { // the dispatch line tells when the call reached the application
            run.awaitStarted(Duration.ofSeconds(60));
            Sipp.Running call = Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml")).target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1").deadline(Duration.ofSeconds(30)).start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> run.log().contains("-> uas#1"))).as(run.log()).isTrue();

            run.terminate();
            assertThat(run.awaitExit(Duration.ofSeconds(30))).as("stopped within the drain and the BYE wait").isTrue();

            Sipp.Result r = call.await();
            assertThat(r.successfulCalls()).as("the call got the BYE with a Reason: " + r.describe()).isEqualTo(1);
            String output = run.log();
            assertThat(output).contains("stopping: new calls get 503", "draining: 1 call, up to ", "ending 1 call with BYE",
                    "switchboard stopped");
            assertThat(output.lines().filter(l -> l.contains(" INFO ") && l.contains("SBC-110 call ended call-id=")))
                    .as("one line for the call at its end").singleElement().asString()
                    .contains("app=uas#1 legs=1 duration=", "status=200 end=\"local\"");
            assertThat(output.lines().filter(l -> l.matches("\\S+ (WARN|ERROR) .*"))).as(output).isEmpty();
            assertThat(output.lines().filter(l -> l.matches("\\S+ INFO .*(lost|reconnecting).*"))).as("a clean stop loses no connection")
                    .isEmpty();
            try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("switchboard-work-"))).isEmpty();
            }
        }
    }
}
