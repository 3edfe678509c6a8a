package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.lifecycle.Lifecycle;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The container's graceful stop with sipp: new calls refused with 503 and Retry-After while a call in progress
 * ends normally, a call that outlives the drain ended with BYE and a Reason, and the routes withdrawn from an
 * external server.
 */
class ShutdownIT {

    @TempDir
    Path dir;
    int sipPort;

    private ContainerConfig config(String drain, String... more) throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"), StandardCopyOption.REPLACE_EXISTING);
        sipPort = FreePorts.udp();
        Map<String, String> values = new HashMap<>(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "shutdown.drain", drain));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return ContainerConfig.of(values);
    }

    private Sipp caller(Sipp sipp, String... args) {
        return sipp.target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1").args(args)
                .deadline(Duration.ofSeconds(30));
    }

    private static Sipp scenario(String name) throws Exception {
        return Sipp.scenario(Path.of(ShutdownIT.class.getResource("/sipp/" + name).toURI()));
    }

    private static CompletableFuture<Boolean> stopInBackground(Container container, Duration drain, List<String> progress) {
        return CompletableFuture.supplyAsync(() -> Lifecycle.stop(drain, List.of(container), progress::add));
    }

    @Test
    void newCallsGet503WithRetryAfterWhileACallInProgressEndsNormally() throws Exception {
        try (Container container = Container.start(config("20"))) {
            // the caller hangs up itself after 4 s: BYE from sipp, 200 from the container
            Sipp.Running established = caller(Sipp.builtIn("uac"), "-d", "4000").start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> container.sip().calls() == 1)).as("the call is up").isTrue();

            List<String> progress = new CopyOnWriteArrayList<>();
            CompletableFuture<Boolean> stopped = stopInBackground(container, Duration.ofSeconds(20), progress);
            assertThat(Poll.until(Duration.ofSeconds(5), container::isShutdown)).isTrue();
            assertThat(container.inFlight()).isEqualTo("1 call");

            Sipp.Result refused = caller(scenario("invite-expect-503-retry-after.xml")).run();
            assertThat(refused.successfulCalls()).as(refused.describe()).isEqualTo(1);

            Sipp.Result first = established.await();
            assertThat(first.successfulCalls()).as("the call in progress ended with the caller's BYE: " + first.describe()).isEqualTo(1);
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("drained before the timeout").isTrue();
            assertThat(progress).contains("1 call");
            assertThat(dir.resolve("work")).doesNotExist();
        }
    }

    @Test
    void aCallStillUpWhenTheDrainEndsGetsByeWithAReason() throws Exception {
        try (Container container = Container.start(config("1"))) {
            // the scenario fails unless the BYE carries a Reason header
            Sipp.Running waiting = caller(Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml"))).start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> container.sip().calls() == 1)).as("the call is up").isTrue();

            boolean drained = stopInBackground(container, Duration.ofSeconds(1), new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS);

            assertThat(drained).isFalse();
            Sipp.Result r = waiting.await();
            assertThat(r.successfulCalls()).as("the call got the BYE with a Reason: " + r.describe()).isEqualTo(1);
        }
    }

    @Test
    void anExternalServerNoLongerRoutesNewCallsToAContainerThatShutsDown() throws Exception {
        int serverSip = FreePorts.udp();
        try (DrachtioServer server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .secret(ContainerModesIT.SECRET)
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + serverSip + ";transport=udp"), 1500),
                        TimerConfig.DEFAULTS))
                .build());
             Container container = Container.start(config("20", "drachtio.mode", "inbound",
                     "drachtio.port", Integer.toString(server.adminAddress().getPort()), "drachtio.secret", ContainerModesIT.SECRET))) {
            sipPort = serverSip;
            Sipp.Running established = caller(Sipp.builtIn("uac"), "-d", "4000").start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> container.sip().calls() == 1)).as("the call is up").isTrue();

            CompletableFuture<Boolean> stopped = stopInBackground(container, Duration.ofSeconds(20), new CopyOnWriteArrayList<>());
            assertThat(Poll.until(Duration.ofSeconds(5), container::isShutdown)).isTrue();

            // the server's own 503 (no route), not the container's (which carries Retry-After)
            Sipp.Result refused = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && (refused == null || refused.successfulCalls() != 1)) {
                refused = caller(scenario("invite-expect-503-no-route.xml")).run(); // the withdrawal reaches the server asynchronously
            }
            assertThat(refused.successfulCalls()).as(refused.describe()).isEqualTo(1);
            assertThat(established.await().successfulCalls()).isEqualTo(1);
            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
