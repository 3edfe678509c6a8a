package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.interop.TortureProbe;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;

/**
 * Every RFC 4475 and RFC 5118 torture message thrown at a running container on its embedded default, with no
 * application deployed and with the UAS and registrar-proxy samples, over UDP and over TCP: the first final answer
 * (or its absence, or a closed connection) must be one the corpus index allows, as for {@code sip-server} in the
 * drachtio-server module. Both containers live through the whole corpus; since the corpus reuses branches, each
 * message waits until the embedded server holds no transaction and no call (T1 is 5 ms, so a completed UDP
 * transaction is gone within 320 ms); that it comes to hold nothing is checked too.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TortureThroughContainerIT {

    private static final Duration QUIET = Duration.ofMillis(400);

    @TempDir
    static Path dir;
    private static Container bare;
    private static Container samples;

    @BeforeAll
    static void start() throws Exception {
        bare = start("none", List.of());
        samples = start("samples", List.of("uas", "registrar-proxy"));
        Poll.await(Duration.ofSeconds(60), "both samples deployed", () -> samples.deployer().deployments().size() == 2);
    }

    private static Container start(String name, List<String> wars) throws Exception {
        Path deployments = Files.createDirectories(dir.resolve(name).resolve("deployments"));
        for (String sample : wars) {
            Files.copy(Path.of("target/samples/sample-" + sample + ".war"), deployments.resolve(sample + ".war"));
        }
        return Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "off",
                "media.mode", "none",
                "sip.contacts", "sip:127.0.0.1:" + FreePorts.udpAndTcp() + ";transport=udp,tcp",
                "sip.t1", "5",
                // the corpus's Via hosts are example names: answers go back where each message came from
                "sip.symmetric-responses", "true",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve(name).resolve("work").toString())));
    }

    @AfterAll
    static void stop() {
        for (Container c : new Container[] {bare, samples}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of("no app", "the samples").flatMap(apps -> Stream.of("udp", "tcp")
                .flatMap(transport -> Interop.tortureCorpus().stream()
                        .map(c -> Arguments.of(c.file(), transport, apps, c.accept()))));
    }

    @ParameterizedTest(name = "{0} over {1} with {2}: {3}")
    @MethodSource("corpus")
    void answerIsOneTheIndexAllows(String file, String transport, String apps, String accept) throws Exception {
        Container container = apps.equals("no app") ? bare : samples;
        DrachtioServer server = container.embeddedServer().orElseThrow();
        byte[] bytes = Interop.bytes(file);
        if (file.startsWith("rfc5118/")) {
            bytes = Interop.rfc5118WireForm(bytes);
        }
        InetSocketAddress sip = server.sipListenPoints().get(0).address();

        String outcome = TortureProbe.answer(bytes, transport, sip, TortureProbe.patience(accept, transport, QUIET));

        assertThat(TortureProbe.allows(accept, transport, outcome))
                .as("%s over %s with %s answered %s; the index allows %s", file, transport, apps, outcome, accept)
                .isTrue();
        Poll.await(Duration.ofSeconds(20), "the container holds nothing of " + file,
                () -> server.sipStack().transactions().activeTransactions() == 0 && server.holdsNoCall()
                        && container.sip().isIdle());
    }
}
