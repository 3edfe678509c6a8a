package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./switchboard media-server} with a wrong command line: exit code 64 and a message naming flag, value and unit. */
class MediaServerMainTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return MediaServerMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badValuesNameTheFlag() throws Exception {
        assertThat(run("--max-sessions", "x")).isEqualTo(64);
        assertThat(run("--sip", "notaport")).isEqualTo(64);
        assertThat(run("--esl", "127.0.0.1:abc")).isEqualTo(64);
        assertThat(run("--heartbeat", "often")).isEqualTo(64);
        assertThat(run("--grace", "long")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "media-server: --max-sessions: 'x' is not a number of calls (a whole number)",
                "media-server: --sip: 'notaport': the host 'notaport' does not resolve; expected host:port, e.g. 127.0.0.1:5080",
                "media-server: --esl: '127.0.0.1:abc' has no port number after the colon; expected host:port, e.g. 127.0.0.1:8021",
                "media-server: --heartbeat: 'often' is not a duration in seconds",
                "media-server: --grace: 'long' is not a duration in seconds").doesNotContain("For input string");
    }

    @Test
    void tlsFlagsAreCheckedTogether(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) throws Exception {
        assertThat(run("--tls-sip-port", "5061")).isEqualTo(64);
        assertThat(run("--tls")).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", empty.toString())).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", empty.toString(), "--tls-sip-port", "secure")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "media-server: --tls-sip-port needs --tls (which turns the TLS listener on)",
                "media-server: --tls needs --tls-cert-dir (a folder holding agent.pem)",
                "media-server: tls-cert-dir " + empty + " has no readable agent.pem",
                "media-server: --tls-sip-port: 'secure' is not a port number or auto (a whole number)");
    }
}
