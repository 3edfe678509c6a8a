package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./switchboard run}'s entry point in-process with a wrong command line or an address in use: the exit code,
 * and a message that names the flag or setting, the value and what was expected, with no stack trace.
 */
class MainIT {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadSettingNamesTheKeyTheValueAndTheUnit() throws Exception {
        assertThat(run("--set", "sip.t1=abc")).isEqualTo(Main.USAGE);
        assertThat(err()).isEqualTo("switchboard run: sip.t1: 'abc' is not a duration in milliseconds (e.g. 500)\n");
    }

    @Test
    void badFlags() throws Exception {
        assertThat(run("--sett", "x=1")).isEqualTo(Main.USAGE);
        assertThat(run("--log-level", "loud")).isEqualTo(Main.USAGE);
        assertThat(run("--config")).isEqualTo(Main.USAGE);
        assertThat(err()).contains("switchboard run: unknown flag --sett (--help lists them)",
                "switchboard run: --log-level: 'loud' is not one of trace, debug, info, warn, error, off",
                "switchboard run: --config needs a value");
    }

    @Test
    void samplesIsTakenAnywhereAndListedInHelp() throws Exception {
        assertThat(run("--set", "sip.t1=abc", "--samples")).as("--samples after other flags is no error of its own")
                .isEqualTo(Main.USAGE);
        assertThat(err()).doesNotContain("--samples");
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--samples", "--log-level LEVEL", "SWITCHBOARD_LOG_LEVEL", "--debug",
                "call.max-duration", "log.calls");
    }

    @Test
    void samplesAreCopiedIntoTheFolderTheContainerWatches() throws Exception {
        Path war = Files.createDirectories(dir.resolve("samples-war/uas/target")).resolve("sample-uas.war");
        Files.writeString(war, "not really a war");
        Files.createDirectories(dir.resolve("samples-war/uas/src"));
        Path watched = dir.resolve("elsewhere/deployments");
        System.setProperty(Main.SAMPLES_PROPERTY, dir.resolve("samples-war").toString());
        try {
            assertThat(Main.copySamples(watched, new PrintStream(err, true, StandardCharsets.UTF_8)))
                    .containsExactly(watched.resolve("sample-uas.war"));
            assertThat(watched.resolve("sample-uas.war")).hasContent("not really a war");
            assertThat(err()).contains("sample-uas.war copied to " + watched.toAbsolutePath());
        } finally {
            System.clearProperty(Main.SAMPLES_PROPERTY);
        }
    }

    @Test
    void samplesWithoutTheLauncherSayWhatIsMissing() throws Exception {
        assertThat(run("--samples", "--deployments", dir.resolve("d").toString(), "--set", "sip.t1=50")).isEqualTo(Main.NO_INPUT);
        assertThat(err()).contains("switchboard run: --samples: the launcher names the samples");
    }

    @Test
    void anAddressInUseNamesTheSettingThatMovesIt() throws Exception {
        int code;
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            code = run("--deployments", Files.createDirectories(dir.resolve("deployments")).toString(),
                    "--set", "deployments.work=" + dir.resolve("work"), "--set", "media.mode=none",
                    "--set", "sip.contacts=sip:127.0.0.1:" + taken.getLocalPort() + ";transport=udp");
        }
        assertThat(code).isEqualTo(Main.UNAVAILABLE);
        assertThat(err()).startsWith("switchboard run: cannot listen on UDP 127.0.0.1:")
                .contains("the address is in use (another process listens there); sip.contacts sets where SIP listens")
                .doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("work")).doesNotExist();
    }
}
