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
    @Test
    void verificationFlagsAreChecked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path certs) throws Exception {
        java.nio.file.Files.writeString(certs.resolve(SipTls.AGENT_PEM), "read when the listener starts");
        String dir = certs.toString();
        assertThat(run("--tls-only")).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", dir, "--tls-verify-policy", "in")).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", dir, "--tls-verify-policy", "sometimes")).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", dir, "--tls-verify-depth", "0")).isEqualTo(64);
        assertThat(run("--tls", "--tls-cert-dir", dir, "--tls-verify-in-subjects", "a|b")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "media-server: --tls-only needs --tls (which turns the TLS listener on)",
                "media-server: tls-verify-policy in needs tls-cert-dir " + dir + " to hold a readable cafile.pem",
                "media-server: tls-verify-policy 'sometimes': 'sometimes' is not one of none, in, out, all, subjects_in,"
                        + " subjects_out, subjects_all (joined by |)",
                "media-server: tls-verify-depth must be 1 or more, was 0",
                "media-server: tls-verify-in-subjects is read only with tls-verify-policy subjects_in or subjects_all,"
                        + " not none");
    }
}
