package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.kamailio.Kamailio;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;

/**
 * {@code sip-server} takes drachtio-server's command lines as they are written in the peers' testbeds, and the TLS
 * one of docs/transports.md's "done when", run as a process.
 */
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

    /**
     * The issue's own command line, {@code sip-server --contact "sip:127.0.0.1:<port>;transport=tls" --key-file K
     * --cert-file C} with a self-signed key and certificate, as a process: Kamailio (trusting exactly that
     * certificate) relays sipp's UDP calls to it over TLS, and a Node drachtio-srf app answers them.
     */
    @Test
    @Timeout(90)
    void theTlsCommandLineLetsANodeAppAnswerCallsPlacedOverTls(@TempDir Path dir) throws Exception {
        int calls = 5;
        TestCertificates.Identity self = TestCertificates.selfSigned(dir, "sip-server");
        TestCertificates.Identity kamailioIdentity = TestCertificates.localhost(dir, "kamailio");
        int tlsPort = FreePorts.tcp();
        int adminPort = FreePorts.tcp();
        Path log = dir.resolve("sip-server.log");
        Process server = new ProcessBuilder(command("--contact", "sip:127.0.0.1:" + tlsPort + ";transport=tls",
                "--key-file", self.privateKey().toString(), "--cert-file", self.certificate().toString(),
                "--port", Integer.toString(adminPort)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Poll.await(Duration.ofSeconds(30), "sip-server listening on " + tlsPort + " and " + adminPort,
                    () -> server.isAlive() && BoundPorts.tcpListening(tlsPort) && BoundPorts.tcpListening(adminPort));
            try (NodeApp app = NodeApp.start(new InetSocketAddress("127.0.0.1", adminPort), "uas");
                 Kamailio relay = Kamailio.relay(dir.resolve("kamailio"))
                         .tls(kamailioIdentity.certificate(), kamailioIdentity.privateKey(), self.certificate())
                         .forward("udp", "sip:127.0.0.1:" + tlsPort + ";transport=tls")
                         .start()) {
                Sipp.Result r = Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).target("127.0.0.1:" + relay.udpPort())
                        .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-s", "service",
                                "-m", Integer.toString(calls), "-r", "5", "-d", "100")
                        .deadline(Duration.ofSeconds(60)).run();
                assertThat(r.exitCode()).as(r.describe() + "\n-- kamailio --\n" + relay.log()
                        + "\n-- sip-server --\n" + Files.readString(log)).isZero();
                assertThat(r.successfulCalls()).isEqualTo(calls);
                assertThat(app.count("answered", calls)).isEqualTo(calls);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private record Run(int status, String output) {
    }

    private static Run sipServer(String... flags) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(flags)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    /** {@code sip-server flags...} as the launcher runs it: this JVM, the module's classes and dependencies. */
    private static List<String> command(String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                        + Files.readString(Path.of("target/classpath.txt")).trim(),
                SipServerMain.class.getName()));
        command.addAll(List.of(flags));
        return command;
    }
}
