package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;

/**
 * The media server as {@code ./switchboard media-server} runs it: this module's classes and the class path its build
 * writes for the launcher ({@code target/classpath.txt}), with the launcher's logging configuration. It logs its
 * start-up line, Opus implementation included (a test-scoped logback-core once left the launcher's media server
 * logging nothing at all).
 */
@Timeout(60)
class LauncherClassPathIT {

    @Test
    void theLaunchersMediaServerLogsItsStartUpLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("media-server.log");
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/classpath.txt")).trim();
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dlogback.configurationFile=" + Path.of("../config/logback.xml").toAbsolutePath(),
                "-cp", classPath, MediaServerMain.class.getName(),
                "--sip", "127.0.0.1:" + FreePorts.udp(), "--esl", "127.0.0.1:" + FreePorts.tcp(),
                "--rtp-ports", "33000-33099", "--sounds", dir.toString(), "--recordings", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Poll.await(Duration.ofSeconds(45), "the start-up line",
                    () -> read(log).contains("MS-001") || !process.isAlive());
            assertThat(read(log)).as("what it printed").contains("INFO", "MS-001 media server: SIP on", "Opus by ")
                    .doesNotContain("No SLF4J providers");
            if (Platform.RESOURCE_PREFIX.equals("linux-x86-64")) { // opus-java-natives covers it: native it is
                assertThat(read(log)).contains("Opus by libopus");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
