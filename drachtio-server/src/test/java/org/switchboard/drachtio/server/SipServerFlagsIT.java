package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sip-server} takes drachtio-server's command lines as they are written in the peers' testbeds. */
class SipServerFlagsIT {

    @Test
    void sofiaLogLevelIsAcceptedAsDrachtioServerTakesIt() throws IOException, InterruptedException {
        // drachtio-srf's docker-compose testbed starts drachtio-server with --sofia-loglevel 3 and 9
        Run run = sipServer("--sofia-loglevel", "9", "--loglevel", "debug", "--version");
        assertThat(run.status).as(run.output).isZero();
        assertThat(run.output).contains(DrachtioServerConfig.VERSION);
    }

    @Test
    void sofiaLogLevelWantsANumber() throws IOException, InterruptedException {
        Run run = sipServer("--sofia-loglevel", "loud"); // refused before anything starts
        assertThat(run.status).isEqualTo(64);
        assertThat(run.output).contains("--sofia-loglevel needs a number");
    }

    private record Run(int status, String output) {
    }

    private static Run sipServer(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                        + Files.readString(Path.of("target/classpath.txt")).trim(),
                SipServerMain.class.getName()));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
