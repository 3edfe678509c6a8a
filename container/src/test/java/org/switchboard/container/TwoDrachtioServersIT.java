package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.container.ops.HealthReport;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * One container connected inbound to two drachtio servers at once ({@code drachtio.servers}): the embedded server in
 * the test JVM and {@code ./switchboard sip-server} in a JVM of its own. Calls to each server reach the container and
 * are answered through the server they came from; {@code kill -9} of the server process: the calls through the
 * other server go on, the node stays ready (one link is enough) and says which link is down; once the server is
 * back the container has reconnected and registered its routes there again, and calls through it succeed. Nothing
 * is left in the container's registries, the clients' call lanes or the embedded server once the calls have ended.
 */
@Timeout(120)
class TwoDrachtioServersIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    @Test
    void callsThroughEitherServerAndTheOtherGoesOnWhileOneIsKilledAndComesBack() throws Exception {
        int sipA = FreePorts.udp();
        int sipB = FreePorts.udp();
        int adminB = FreePorts.tcp();
        int metricsB = FreePorts.tcp();
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"), StandardCopyOption.REPLACE_EXISTING);
        HttpClient http = HttpClient.newHttpClient();
        Process b = ServerCrashIT.sipServer(adminB, sipB, metricsB, dir.resolve("server-b-1.log"));
        Sipp.Running held = null;
        try (DrachtioServer a = ContainerModesIT.server(sipA)) {
            // a first connection is not retried: both servers listen before the container starts
            Poll.await(Duration.ofSeconds(60), "server b listening for apps", () -> BoundPorts.tcpListening(adminB));
            String addressA = "127.0.0.1:" + a.adminAddress().getPort();
            String addressB = "127.0.0.1:" + adminB;
            try (Container container = Container.start(ContainerConfig.of(Map.of(
                    "admin.listen", "off",
                    "drachtio.mode", "inbound",
                    "drachtio.servers", addressA + "," + addressB,
                    "drachtio.secret", ContainerModesIT.SECRET,
                    "deployments.dir", deployments.toString(),
                    "deployments.work", dir.resolve("work").toString())))) {
                DrachtioClient toA = container.drachtioClients().get(0);
                DrachtioClient toB = container.drachtioClients().get(1);
                Poll.await(Duration.ofSeconds(15), "the container's INVITE route on a", () -> a.routes("invite") == 1);
                Poll.await(Duration.ofSeconds(30), "the container connected to b", () -> ServerCrashIT.appConnected(http, metricsB));
                assertThat(container.summary()).anyMatch(s -> s.contains("drachtio-servers at " + addressA + ", " + addressB));
                assertThat(container.operations().ready().json()).contains("connected to " + addressA + ", " + addressB);

                Sipp.Result first = call(sipB, 10, 100).run();
                assertThat(first.successfulCalls()).as("through b: " + first.describe()).isEqualTo(10);

                // calls held through b when it dies, calls through a running across the kill
                held = call(sipB, 10, 60_000).start();
                Poll.await(Duration.ofSeconds(30), "b's 10 calls up in the container", () -> container.sip().calls() == 10);
                Sipp.Running throughA = call(sipA, 40, 3000).start();
                Poll.await(Duration.ofSeconds(30), "calls through a up too", () -> container.sip().calls() >= 15);
                b.destroyForcibly(); // SIGKILL: no goodbye on the app connection, only its close
                assertThat(b.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Poll.await(Duration.ofSeconds(5), "b's calls dropped", () -> toB.busyCalls() == 0 && !toB.isConnected());
                HealthReport oneDown = container.operations().ready();
                assertThat(oneDown.isUp()).as("ready with one link: " + oneDown.json()).isTrue();
                assertThat(oneDown.json()).contains("connected to " + addressA + "; not connected to " + addressB);

                Sipp.Result r = throughA.await();
                assertThat(r.failedCalls()).as("a's calls go on: " + r.describe()).isZero();
                assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(40);

                b = ServerCrashIT.sipServer(adminB, sipB, metricsB, dir.resolve("server-b-2.log"));
                Poll.await(Duration.ofSeconds(60), "the container connected to b again", () -> ServerCrashIT.appConnected(http, metricsB)
                        && toB.isConnected());
                held.kill(); // its calls died with the first b
                Sipp.Result again = call(sipB, 20, 100).run();
                assertThat(again.successfulCalls()).as("through b once it is back: " + again.describe()).isEqualTo(20);
                assertThat(container.operations().ready().json()).contains("connected to " + addressA + ", " + addressB);

                boolean idle = Poll.until(Duration.ofSeconds(20), () -> container.sip().isIdle() && toA.busyCalls() == 0
                        && toB.busyCalls() == 0 && a.holdsNoCall());
                assertThat(idle).as("container: %s; client lanes: %d, %d; server a: %s", container.sip().stats(),
                        toA.busyCalls(), toB.busyCalls(), a.perCallState()).isTrue();
            }
        } finally {
            b.destroyForcibly();
            if (held != null) {
                held.kill();
            }
        }
    }

    private static Sipp call(int sipPort, int count, int millis) {
        return Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", Integer.toString(count), "-r", "20",
                        "-d", Integer.toString(millis))
                .deadline(Duration.ofSeconds(90));
    }
}
