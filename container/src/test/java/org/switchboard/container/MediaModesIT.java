package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.stunnel.Stunnel;
import org.switchboard.testing.tls.TestCertificates;

/**
 * The container without media, and with an external media server (a second embedded one standing for FreeSWITCH),
 * its event socket reached directly or through a TLS front.
 */
class MediaModesIT {

    @TempDir
    Path dir;

    @Test
    void withoutMediaAnApplicationInjectingMediaServersFailsToDeployAndOthersServe() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        MediaIT.deployApps(deployments);
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"));
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + FreePorts.udp() + ";transport=udp",
                "media.mode", "none",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())))) {
            assertThat(container.summary()).anyMatch(l -> l.startsWith("media: none"));
            assertThat(container.mediaServers()).isEmpty();
            assertThat(container.embeddedMediaServer()).isEmpty();
            for (String app : new String[] {"media.jar", "other.jar"}) {
                assertThat(deployments.resolve(app + ".failed")).content()
                        .contains("Unsatisfied dependencies for type MediaServer");
            }
            assertThat(deployments.resolve("uas.war.deployed")).exists();
            assertThat(container.deployer().deployments()).hasSize(1);
        }
    }

    /** With TLS: the event socket behind a real stunnel front whose certificate a test CA signed (docs/esl.md). */
    @ParameterizedTest(name = "event socket over TLS: {0}")
    @ValueSource(booleans = {false, true})
    void externalModeReachesTheConfiguredServerOverItsEventSocketAndSip(boolean tls) throws Exception {
        assumeTrue(!tls || Stunnel.binary().isPresent(), "stunnel is not installed (Debian's stunnel4; scripts/install-test-peers)");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Path sounds = MediaIT.sounds(dir);
        try (MediaServer external = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(loopback, 0))
                .esl(new InetSocketAddress(loopback, 0))
                .password("not-the-stock-one")
                .sounds(sounds)
                .recordings(dir.resolve("recordings"))
                .build());
             Stunnel front = tls ? Stunnel.start(dir, List.of(new Stunnel.Front("esl", external.eslAddress().getPort(),
                     TestCertificates.localhost(dir, "esl-front")))) : null) {
            Path deployments = Files.createDirectories(dir.resolve("deployments"));
            MediaIT.deployApps(deployments);
            int sipPort = FreePorts.udp();
            String socket = "127.0.0.1:" + (tls ? front.port("esl") : external.eslAddress().getPort());
            Map<String, String> settings = new HashMap<>(Map.of(
                    "admin.listen", "127.0.0.1:0",
                    "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                    "media.mode", "external",
                    "media.servers", socket + ":not-the-stock-one",
                    "media.deadline", "10",
                    "deployments.dir", deployments.toString(),
                    "deployments.work", dir.resolve("work").toString()));
            if (tls) {
                settings.putAll(Map.of("media.tls", "true", "media.tls.ca", TestCertificates.authority(dir).toString()));
            }
            try (Container container = Container.start(ContainerConfig.of(settings))) {
                assertThat(container.embeddedMediaServer()).isEmpty();
                assertThat(container.summary()).anyMatch(l -> l.equals("media: media servers [" + socket + "]"
                                + (tls ? " over TLS" : "") + "; deadline 10 s"))
                        .noneMatch(l -> l.contains("not-the-stock-one"));
                System.clearProperty("media.played");
                Sipp.Result r = MediaIT.call(sipPort);
                assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
                MediaIT.channelsEndWithinASecond(container);
                assertThat(external.channelCount()).isZero();
                Poll.await(Duration.ofSeconds(5), "the play's outcome", () -> System.getProperty("media.played") != null);
                assertThat(System.getProperty("media.played")).isEqualTo("ok");
                MediaIT.assertIdle(container);
            }
        }
    }

    @Test
    void aGracefulShutdownWaitsForTheMediaCallsThenStopsTheEmbeddedMediaServer() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        MediaIT.deployApps(deployments);
        int sipPort = FreePorts.udp();
        Container container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "media.sounds", MediaIT.sounds(dir).toString(),
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())));
        try {
            InetSocketAddress eventSocket = container.embeddedMediaServer().orElseThrow().eslAddress();
            Sipp.Running caller = MediaIT.start(sipPort, "media-uac.xml", "media");
            // the caller's dialog and the container's own to the media server
            Poll.await(Duration.ofSeconds(10), "the caller answered", () -> container.inFlight().equals("2 calls"));
            assertThat(container.embeddedMediaServer().orElseThrow().channelCount()).isEqualTo(1);

            java.util.concurrent.CompletableFuture<Void> drained = container.shutdown();
            assertThat(drained).as("a call with its media is up").isNotDone();
            Sipp.Result r = caller.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
            drained.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(container.embeddedMediaServer().orElseThrow().channelCount()).isZero();
            container.close();
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(eventSocket, 2000))
                        .as("the embedded media server stopped with the container").isInstanceOf(java.io.IOException.class);
            }
        } finally {
            container.close();
        }
    }
}
