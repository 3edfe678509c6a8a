package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.switchboard.testing.node.PeerSuite;

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
        // the README's test command runs as root (or with sudo for the test peers)
        assumeTrue(PeerSuite.possible(), "peer suites need root and a network namespace");
        PeerSuite run = PeerSuite.run(ROOT, "drachtio-srf", SUITE_DEADLINE_SECONDS,
                Map.of("PEER_SUITES_SIP_SERVER", PeerSuite.javaCommand(ROOT, "drachtio-server",
                        SipServerMain.class.getName())),
                Path.of("target/peer-suites-drachtio-srf.log").toAbsolutePath());
        assertThat(run.passed()).as(run.output()).isTrue();
    }
}
