package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * drachtio-srf's own test suite, unchanged, against this module's server: {@code scripts/peer-suites drachtio-srf}
 * rebuilds the suite's docker-compose testbed as processes in a private network namespace, with this module's
 * {@link SipServerMain} (from the reactor's class path) for each drachtio-server container, and passes when every
 * case does but those listed in {@code scripts/peer-suites.d/drachtio-srf.expect} (docs/peer-suites.md).
 *
 * <p>Part of {@code mvn verify}; {@code -Dpeer.suites=false} leaves it out (about 100 s).
 */
@EnabledIfSystemProperty(named = "peer.suites", matches = "true", disabledReason = "-Dpeer.suites=false")
class DrachtioSrfSuiteIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    // the script's own deadline; the test's is a little longer so the script's teardown always runs
    private static final int SUITE_DEADLINE_SECONDS = 900;

    @Test
    @Timeout(value = SUITE_DEADLINE_SECONDS + 120, unit = TimeUnit.SECONDS)
    void everyCasePassesButTheListedOnes() throws IOException, InterruptedException {
        // network namespaces need root; the README's test command runs as root (or with sudo for the test peers)
        assumeTrue("root".equals(System.getProperty("user.name")), "peer suites need root for a network namespace");
        Path log = Path.of("target/peer-suites-drachtio-srf.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("scripts/peer-suites").toString(),
                "--deadline", Integer.toString(SUITE_DEADLINE_SECONDS), "drachtio-srf")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PEER_SUITES_SIP_SERVER", String.join(" ", sipServerCommand()));
        Process script = builder.start();
        if (!script.waitFor(SUITE_DEADLINE_SECONDS + 60, TimeUnit.SECONDS)) {
            script.destroy(); // SIGTERM: the script tears its namespace down
            script.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(script.isAlive()).as(output).isFalse();
        assertThat(script.exitValue()).as(output).isZero();
        assertThat(output).contains(" 0 failed, ").doesNotContain("INCOMPLETE");
    }

    /** {@code sip-server} from this module's classes and its runtime class path, as the launcher starts it. */
    private static List<String> sipServerCommand() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/classpath.txt")).trim();
        return List.of(java, "-Dlogback.configurationFile=" + ROOT.resolve("config/logback.xml"),
                "-cp", classPath, SipServerMain.class.getName());
    }
}
