package org.switchboard.media.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.esl.cli.FsCli;
import org.switchboard.media.server.MediaServerMain;
import org.switchboard.testing.node.PeerSuite;

/**
 * drachtio-fsmrf's own test suite, unchanged, against this module's media server and the embedded drachtio server:
 * {@code scripts/peer-suites drachtio-fsmrf} rebuilds the suite's docker-compose testbed as processes in a private
 * network namespace, {@link MediaServerMain} for each FreeSWITCH container, {@link SipServerMain} for each
 * drachtio-server one and {@link FsCli} for the suite's {@code fs_cli} (all from the reactor's class path), and
 * passes when every case does but those listed in {@code scripts/peer-suites.d/drachtio-fsmrf.expect}
 * (docs/peer-suites.md).
 *
 * <p>Part of {@code mvn verify}; {@code -Dpeer.suites=false} leaves it out (about a minute).
 */
@EnabledIfSystemProperty(named = "peer.suites", matches = "true", disabledReason = "-Dpeer.suites=false")
class FsmrfSuiteIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    // the script's own deadline; the test's is a little longer so the script's teardown always runs
    private static final int SUITE_DEADLINE_SECONDS = 300;
    /**
     * The JVMs of the testbed compile with C1 only and collect with the serial collector: the suite's first test has
     * 6 s for two calls set up through four cold JVMs and a 2 s play; on a loaded two-core machine C2's compiler
     * threads and ZGC's of five JVMs starting together took that time (docs/peer-suites.md). The suite checks
     * behaviour, not throughput.
     */
    private static final String[] JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    @Test
    @Timeout(value = SUITE_DEADLINE_SECONDS + 120, unit = TimeUnit.SECONDS)
    void everyCasePassesButTheListedOnes() throws IOException, InterruptedException {
        assumeTrue(PeerSuite.possible(), "peer suites need root and a network namespace");
        PeerSuite run = PeerSuite.run(ROOT, "drachtio-fsmrf", SUITE_DEADLINE_SECONDS, Map.of(
                        "PEER_SUITES_SIP_SERVER", PeerSuite.javaCommand(ROOT, "drachtio-server",
                                SipServerMain.class.getName(), JVM),
                        "PEER_SUITES_MEDIA_SERVER", PeerSuite.javaCommand(ROOT, "media-server",
                                MediaServerMain.class.getName(), JVM),
                        "PEER_SUITES_FS_CLI", PeerSuite.javaCommand(ROOT, "fs-cli", FsCli.class.getName(), JVM)),
                Path.of("target/peer-suites-drachtio-fsmrf.log").toAbsolutePath());
        assertThat(run.passed()).as(run.output()).isTrue();
    }
}
