package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.RequestHandler;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;

/**
 * The container against a drachtio server it does not own, in inbound mode (it connects) and in outbound mode
 * (the server connects to it for each call), and the drain timeout of a redeploy ending old calls with BYE.
 */
class ContainerModesIT {

    static final String SECRET = "not-the-example-secret";

    @TempDir
    Path dir;

    private Path deploymentsWithUas() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"), StandardCopyOption.REPLACE_EXISTING);
        return deployments;
    }

    static DrachtioServer server(int sipPort, RequestHandler... handlers) {
        return server(0, sipPort, handlers);
    }

    private static DrachtioServer server(int adminPort, int sipPort, RequestHandler... handlers) {
        DrachtioServerConfig.Builder b = DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", adminPort))
                .secret(SECRET)
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500),
                        TimerConfig.DEFAULTS));
        for (RequestHandler h : handlers) {
            b.requestHandler(h);
        }
        return DrachtioServer.start(b.build());
    }

    private static Sipp.Result call(int sipPort, String... args) {
        return Sipp.builtIn("uac").target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0").args(args)
                .deadline(Duration.ofSeconds(30)).run();
    }

    /** The container connects and registers its routes asynchronously once started; reconnects take up to 15 s. */
    private static void awaitRoutes(DrachtioServer server) throws InterruptedException {
        Poll.await(Duration.ofSeconds(15), "the container's INVITE route on the server", () -> server.routes("invite") > 0);
    }

    @Test
    void inboundToAnExternalServer() throws Exception {
        int sipPort = FreePorts.udp();
        try (DrachtioServer server = server(sipPort);
             Container container = Container.start(ContainerConfig.of(Map.of(
                     "admin.listen", "127.0.0.1:0",
                     "drachtio.mode", "inbound",
                     "drachtio.host", "127.0.0.1",
                     "drachtio.port", Integer.toString(server.adminAddress().getPort()),
                     "drachtio.secret", SECRET,
                     "deployments.dir", deploymentsWithUas().toString(),
                     "deployments.work", dir.resolve("work").toString())))) {
            assertThat(container.embeddedServer()).isEmpty();
            awaitRoutes(server);
            Sipp.Result r = call(sipPort, "-s", "uas", "-m", "5", "-r", "10", "-d", "100");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(5);
            // no wire to tap on an external server: the ladders are what the drachtio connection shows
            Poll.await(Duration.ofSeconds(10), "five ended calls", () -> container.sip().captures().ended().size() == 5);
            String callId = container.sip().captures().ended().get(0).callId();
            Poll.await(Duration.ofSeconds(10), "the BYE's 200 reported sent", () -> container.sip().captures().events(callId)
                    .orElseThrow().size() >= 5);
            assertThat(container.sip().captures().events(callId).orElseThrow())
                    .extracting(e -> e.kind() + " " + e.label())
                    .containsSubsequence("RECEIVED INVITE", "SENT 200 OK", "RECEIVED BYE", "SENT 200 OK");
        }
    }

    @Test
    void inboundOverTlsToAServerTakingAppsOverTlsOnly() throws Exception {
        int sipPort = FreePorts.udp();
        Path ca = TestCertificates.authority(dir.resolve("certs"));
        TestCertificates.Identity identity = TestCertificates.localhost(dir.resolve("certs"), "drachtio");
        try (DrachtioServer server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0)).plainAdmin(false).adminTlsPort(0)
                .secret(SECRET)
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500,
                        Optional.of(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build())),
                        TimerConfig.DEFAULTS))
                .build());
             Container container = Container.start(ContainerConfig.of(Map.of(
                     "drachtio.mode", "inbound",
                     "admin.listen", "127.0.0.1:0",
                     "drachtio.port", Integer.toString(server.adminTlsAddress().orElseThrow().getPort()),
                     "drachtio.secret", SECRET,
                     "drachtio.tls", "true",
                     "drachtio.tls.ca", ca.toString(),
                     "deployments.dir", deploymentsWithUas().toString(),
                     "deployments.work", dir.resolve("work").toString())))) {
            awaitRoutes(server);
            Sipp.Result r = call(sipPort, "-s", "uas", "-m", "3", "-r", "10", "-d", "100");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(3);
            assertThat(server.appTlsHandshakeFailures()).isZero();
        }
    }

    @Test
    void inboundReconnectsAndRegistersItsRoutesAgainAfterTheServerRestarts() throws Exception {
        int sipPort = FreePorts.udp();
        int adminPort = FreePorts.tcp();
        DrachtioServer first = server(adminPort, sipPort);
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "drachtio.mode", "inbound",
                "drachtio.port", Integer.toString(adminPort),
                "drachtio.secret", SECRET,
                "deployments.dir", deploymentsWithUas().toString(),
                "deployments.work", dir.resolve("work").toString())))) {
            awaitRoutes(first);
            first.close();
            try (DrachtioServer second = server(adminPort, sipPort)) {
                awaitRoutes(second);
                Sipp.Result r = call(sipPort, "-s", "uas", "-m", "1", "-d", "100");
                assertThat(r.successfulCalls()).as("after the reconnect: " + r.describe()).isEqualTo(1);
            }
        }
    }

    @Test
    void outboundFromTheServer() throws Exception {
        int sipPort = FreePorts.udp();
        int listen = FreePorts.udp();
        try (DrachtioServer server = server(sipPort, new RequestHandler("INVITE", "tcp://127.0.0.1:" + listen, "GET"));
             Container container = Container.start(ContainerConfig.of(Map.of(
                     "admin.listen", "127.0.0.1:0",
                     "drachtio.mode", "outbound",
                     "drachtio.listen", "127.0.0.1:" + listen,
                     "drachtio.secret", SECRET,
                     "deployments.dir", deploymentsWithUas().toString(),
                     "deployments.work", dir.resolve("work").toString())))) {
            Sipp.Result r = call(sipPort, "-s", "uas", "-m", "5", "-r", "10", "-d", "100");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(5);
            assertThat(container.summary()).anyMatch(s -> s.contains("outbound"));
        }
    }

    @Test
    void aRedeployEndsCallsThatOutliveTheDrainTimeout() throws Exception {
        int sipPort = FreePorts.udp();
        Path deployments = deploymentsWithUas();
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "deployments.scan", "200",
                "deployments.drain", "1")))) {
            Sipp.Running waiting = Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml")).target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "2", "-r", "10").deadline(Duration.ofSeconds(30)).start();
            Poll.await(Duration.ofSeconds(10), "both calls up", () -> container.sip().calls() == 2);
            Path war = deployments.resolve("uas.war");
            Files.setLastModifiedTime(war, FileTime.fromMillis(System.currentTimeMillis() + 2000));
            Sipp.Result r = waiting.await();
            assertThat(r.successfulCalls()).as("both calls got the BYE of the drain timeout: " + r.describe()).isEqualTo(2);
            assertThat(container.deployer().deployments()).singleElement().asString().startsWith("uas#2");
        }
    }
}
