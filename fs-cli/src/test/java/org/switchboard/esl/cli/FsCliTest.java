package org.switchboard.esl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.ScriptedSwitch;
import org.switchboard.esl.TranscriptPeer;

class FsCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return FsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void executesOneApiCommandAndPrintsItsOutput() throws Exception {
        try (TranscriptPeer freeswitch = new TranscriptPeer("esl-inbound-a-api.jsonl")) {
            assertThat(run("-P", Integer.toString(freeswitch.port()), "-x", "status")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("UP 0 years").contains("is ready");
            assertThat(freeswitch.received().get(0)).isEqualTo("auth ClueCon\n\n");
        }
    }

    @Test
    void errReplyGivesExitStatusOne() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch()) {
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> {
                try {
                    Socket s = sw.next();
                    ScriptedSwitch.read(s);
                    ScriptedSwitch.write(s, "Content-Type: api/response\nContent-Length: 38\n\n-ERR nosuchcommand Command not found!\n");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(run("-P", Integer.toString(sw.port()), "-x", "nosuchcommand")).isEqualTo(FsCli.ERR_REPLY);
            answer.join();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("-ERR nosuchcommand Command not found!\n");
        }
    }

    @Test
    void refusedPasswordGivesExitStatusTwo() throws Exception {
        try (TranscriptPeer freeswitch = new TranscriptPeer("esl-inbound-b-auth-fail.jsonl")) {
            assertThat(run("-P", Integer.toString(freeswitch.port()), "-p", "WrongPassword", "-x", "status")).isEqualTo(FsCli.AUTH_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused the password").doesNotContain("WrongPassword");
        }
    }

    @Test
    void aDirectoryUserLogsInWithUserauth() throws Exception {
        try (ScriptedSwitch sw = new ScriptedSwitch(c -> "-ERR invalid")) {
            assertThat(run("-P", Integer.toString(sw.port()), "-u", "1000@default", "-p", "s3cret", "-x", "status"))
                    .isEqualTo(FsCli.AUTH_FAILED);
            assertThat(sw.commands).containsExactly("userauth 1000@default:s3cret\n\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("1000@default").doesNotContain("s3cret");
        }
        assertThat(run("-u", "nodomain", "-x", "status")).isEqualTo(FsCli.USAGE);
    }

    @Test
    void unreachableOrSilentSwitchGivesExitStatusThree() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(run("-P", Integer.toString(closed), "-t", "500", "-x", "status")).isEqualTo(FsCli.UNREACHABLE);
        try (ScriptedSwitch silent = new ScriptedSwitch()) {
            long start = System.nanoTime();
            assertThat(run("-P", Integer.toString(silent.port()), "-t", "400", "-x", "status")).isEqualTo(FsCli.UNREACHABLE);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
        }
    }

    @Test
    void stockPasswordIsRefusedForARemoteHost() {
        assertThat(run("-H", "192.0.2.1", "-x", "status")).isEqualTo(FsCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stock password is refused");
    }

    @Test
    void aBadPortOrTimeoutNamesTheFlagAndWhatItWants() {
        assertThat(run("-P", "abc", "-x", "status")).isEqualTo(FsCli.USAGE);
        assertThat(run("-t", "soon", "-x", "status")).isEqualTo(FsCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("fs-cli: -P: 'abc' is not a port number (0..65535, e.g. 8021)",
                "fs-cli: -t: 'soon' is not a duration in milliseconds").doesNotContain("NumberFormatException", "For input string");
    }
}
