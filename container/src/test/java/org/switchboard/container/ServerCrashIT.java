package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * {@code kill -9} of the drachtio server the container is connected to, run as a process of its own, with 50 calls
 * up: the container drops every call of that server at once (nothing is left in its registries or its client's
 * call lanes), reconnects when the server is back, and the next 100 calls succeed.
 */
class ServerCrashIT {

    @TempDir
    Path dir;

    /** {@code sip-server} in a JVM of its own, on the given ports, serving its metrics on {@code metricsPort}. */
    static Process sipServer(int adminPort, int sipPort, int metricsPort, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SipServerMain.class.getName(), "--port", Integer.toString(adminPort), "--secret", ContainerModesIT.SECRET,
                "--contact", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "--prometheus-scrape-port", Integer.toString(metricsPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Whether the server process reports an app connected (its own metrics). */
    static boolean appConnected(HttpClient http, int metricsPort) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().anyMatch(l -> l.startsWith("drachtio_app_connections") && !l.endsWith(" 0.0"));
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theContainerDropsTheCallsOfAKilledServerAndTakesCallsAgainOnceItIsBack() throws Exception {
        int sipPort = FreePorts.udp();
        int adminPort = FreePorts.tcp();
        int metricsPort = FreePorts.tcp();
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"), StandardCopyOption.REPLACE_EXISTING);
        HttpClient http = HttpClient.newHttpClient();
        Process server = sipServer(adminPort, sipPort, metricsPort, dir.resolve("server-1.log"));
        // the container's first connection is not retried: the server's JVM must listen before the container starts
        Poll.await(Duration.ofSeconds(60), "the server process listening for apps", () -> BoundPorts.tcpListening(adminPort));
        Sipp.Running held = null;
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "off",
                "drachtio.mode", "inbound",
                "drachtio.port", Integer.toString(adminPort),
                "drachtio.secret", ContainerModesIT.SECRET,
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())))) {
            var client = container.drachtioClient().orElseThrow();
            Poll.await(Duration.ofSeconds(30), "the container connected to the server process", () -> appConnected(http, metricsPort));

            held = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "50", "-r", "50", "-d", "60000")
                    .deadline(Duration.ofSeconds(90)).start();
            Poll.await(Duration.ofSeconds(30), "50 calls up in the container", () -> container.sip().calls() == 50);

            server.destroyForcibly(); // SIGKILL: no goodbye on the app connection, only its close
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            boolean dropped = Poll.until(Duration.ofSeconds(5), () -> container.sip().isIdle() && client.busyCalls() == 0);
            assertThat(dropped).as("container: %s; client: %d call lanes", container.sip().stats(), client.busyCalls())
                    .isTrue();

            server = sipServer(adminPort, sipPort, metricsPort, dir.resolve("server-2.log"));
            Poll.await(Duration.ofSeconds(30), "the container connected again", () -> appConnected(http, metricsPort));
            held.kill(); // its calls died with the first server
            Sipp.Result next = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "100", "-r", "50", "-d", "100")
                    .deadline(Duration.ofSeconds(40)).run();
            assertThat(next.successfulCalls()).as(next.describe()).isEqualTo(100);
            assertThat(next.failedCalls()).as(next.describe()).isZero();
            Poll.await(Duration.ofSeconds(20), "no call left in the container",
                    () -> container.sip().isIdle() && client.busyCalls() == 0);
        } finally {
            server.destroyForcibly();
            if (held != null) {
                held.kill();
            }
        }
    }
}
