package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.container.ops.HealthReport;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The container's metrics and health as the admin listener serves them ({@link Container#operations()}): the scrape
 * text after sipp calls, with every layer's meters counting what the calls did, and readiness turning 503 naming the
 * part that is down (the drachtio connection, a media server, a failed deployment) and back to 200.
 */
class MetricsIT {

    private static final String SECRET = "not-the-example-secret";
    private static final String PASSWORD = "not-the-stock-one";

    @TempDir
    Path dir;

    @Test
    void theScrapeCountsWhatTheCallsDidInEveryLayer() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"));
        MediaIT.deployApps(deployments);
        int sipPort = FreePorts.udp();
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "admin.listen", "127.0.0.1:0",
                // a 2xx resent while sipp's ACK is on its way on a loaded machine would count twice
                "sip.t1", "2000",
                "media.mode", "embedded",
                "media.sounds", MediaIT.sounds(dir).toString(),
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())))) {
            Poll.await(Duration.ofSeconds(20), "three deployments", () -> container.deployer().activeCount() == 3);
            String scrape = container.operations().scrape();
            assertThat(value(scrape, "esl_client_connected")).as("the embedded media server's event socket").isEqualTo(1);
            assertThat(value(scrape, "drachtio_client_connected")).isEqualTo(1);
            assertThat(value(scrape, "switchboard_deployments", "state", "active")).isEqualTo(3);
            assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                    "jvm_classes_loaded_classes");

            Sipp.Result uas = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1", "-d", "100")
                    .deadline(Duration.ofSeconds(30)).run();
            assertThat(uas.successfulCalls()).as(uas.describe()).isEqualTo(1);
            NoCallLeft.assertNoCallLeft(container);
            // a response is counted once its write completed, which may be after sipp read it
            Poll.await(Duration.ofSeconds(5), "the BYE's 200 counted",
                    () -> sipResponse(container.operations().scrape(), "BYE", 200) == 1);
            scrape = container.operations().scrape();
            assertThat(sip(scrape, "sip_requests_received_total", "INVITE")).isEqualTo(1);
            assertThat(sip(scrape, "sip_requests_received_total", "ACK")).isEqualTo(1);
            assertThat(sip(scrape, "sip_requests_received_total", "BYE")).isEqualTo(1);
            assertThat(sip(scrape, "sip_requests_received_total", "OPTIONS")).isZero();
            assertThat(sipResponse(scrape, "INVITE", 100)).isEqualTo(1);
            assertThat(sipResponse(scrape, "INVITE", 200)).isEqualTo(1);
            assertThat(sipResponse(scrape, "BYE", 200)).isEqualTo(1);
            assertThat(value(scrape, "sip_transactions_total", "kind", "server", "stack", "drachtio")).isEqualTo(2);
            assertThat(value(scrape, "sip_transactions_active", "kind", "server", "stack", "drachtio"))
                    .as("the INVITE's and BYE's transactions wait for their timers").isBetween(0.0, 2.0);
            assertThat(value(scrape, "switchboard_calls_total", "application", "uas")).isEqualTo(1);
            assertThat(value(scrape, "switchboard_calls_active", "application", "uas")).isZero();
            assertThat(value(scrape, "switchboard_call_answer_seconds_count", "application", "uas")).isEqualTo(1);
            assertThat(value(scrape, "switchboard_call_answer_seconds_bucket", "application", "uas", "le", "+Inf")).isEqualTo(1);
            // the server's report of the BYE's 200 may come back after the call is gone from the container
            Poll.await(Duration.ofSeconds(5), "the round trips of the 200 and the BYE's 200 the application sent",
                    () -> value(container.operations().scrape(), "drachtio_client_requests_seconds_count", "command", "sip",
                            "outcome", "ok") >= 2);
            assertThat(value(scrape, "drachtio_app_connections")).as("the embedded server's own gauge").isEqualTo(1);
            assertThat(value(scrape, "switchboard_dialogs")).isZero();

            Sipp.Result nobody = Sipp.scenario(Interop.path("sipp/uac-expect-404.xml")).target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "nobody", "-m", "1").deadline(Duration.ofSeconds(30)).run();
            assertThat(nobody.successfulCalls()).as(nobody.describe()).isEqualTo(1);
            scrape = container.operations().scrape();
            assertThat(value(scrape, "switchboard_call_failures_total", "application", "none", "status", "404")).isEqualTo(1);
            assertThat(sipResponse(scrape, "INVITE", 404)).isEqualTo(1);

            Sipp.Result media = MediaIT.call(sipPort);
            assertThat(media.successfulCalls()).as(media.describe()).isEqualTo(1);
            NoCallLeft.assertNoCallLeft(container);
            Poll.await(Duration.ofSeconds(5), "the media channel ended",
                    () -> value(container.operations().scrape(), "media_channels") == 0);
            scrape = container.operations().scrape();
            assertThat(value(scrape, "switchboard_calls_total", "application", "media")).isEqualTo(1);
            assertThat(value(scrape, "switchboard_calls_total", "application", "uas")).as("still the one call").isEqualTo(1);
            assertThat(value(scrape, "sip_requests_received_total", "method", "INVITE", "stack", "media"))
                    .as("the container's call to the media server, on the media server's stack").isEqualTo(1);
            assertThat(value(scrape, "sip_requests_sent_total", "method", "INVITE", "stack", "drachtio")).isEqualTo(1);
            assertThat(value(scrape, "media_rtp_packets_sent_total")).as("the prompt played").isGreaterThan(20);
            assertThat(value(scrape, "media_clock_send_interval_error_seconds_count")).isGreaterThan(20);
            assertThat(sum(scrape, "esl_commands_seconds_count", "outcome", "ok"))
                    .as("the media framework's commands over the event socket").isGreaterThan(3);
            assertThat(sum(scrape, "esl_commands_seconds_count", "outcome", "timeout")).isZero();
        }
    }

    @Test
    void readyNamesThePartThatIsDownUntilItIsBackAndMetricsCanBeOff() throws Exception {
        int adminPort = FreePorts.tcp();
        int sipPort = FreePorts.udp();
        int eslPort = FreePorts.tcp();
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        DrachtioServer drachtio = drachtio(adminPort, sipPort);
        MediaServer media = media(eslPort);
        try (Container container = Container.start(ContainerConfig.of(Map.of(
                "drachtio.mode", "inbound",
                "admin.listen", "127.0.0.1:0",
                "drachtio.port", Integer.toString(adminPort),
                "drachtio.secret", SECRET,
                "media.mode", "external",
                "media.servers", "127.0.0.1:" + eslPort + ":" + PASSWORD,
                "metrics.enabled", "false",
                "deployments.dir", deployments.toString(),
                "deployments.scan", "200",
                "deployments.work", dir.resolve("work").toString())))) {
            assertThat(container.operations().scrape()).isEqualTo("# metrics.enabled is false: no metrics are kept\n");
            assertThat(container.operations().live().httpStatus()).isEqualTo(200);
            HealthReport ready = container.operations().ready();
            assertThat(ready.httpStatus()).as(ready.json()).isEqualTo(200);
            assertThat(ready.json()).contains("\"sip\":{\"status\":\"UP\"", "\"drachtio\":{\"status\":\"UP\"",
                    "\"media 127.0.0.1:" + eslPort + "\":{\"status\":\"UP\"", "\"deployments\":{\"status\":\"UP\"");

            drachtio.close();
            awaitReady(container, 503);
            assertThat(container.operations().ready().json())
                    .contains("\"drachtio\":{\"status\":\"DOWN\",\"detail\":\"not connected to 127.0.0.1:"
                            + adminPort + " (reconnecting)\"}")
                    .contains("\"failing\":[\"sip\",\"drachtio\"]");
            drachtio = drachtio(adminPort, sipPort);
            awaitReady(container, 200);

            media.close();
            awaitReady(container, 503);
            assertThat(container.operations().ready().json()).contains("\"failing\":[\"media 127.0.0.1:" + eslPort + "\"]");
            media = media(eslPort);
            awaitReady(container, 200);

            Files.writeString(deployments.resolve("broken.jar"), "not a jar");
            awaitReady(container, 503);
            assertThat(container.operations().ready().json()).contains("\"failing\":[\"deployments\"]", "broken.jar");
            Files.delete(deployments.resolve("broken.jar"));
            awaitReady(container, 200);

            container.shutdown();
            assertThat(container.operations().ready().json()).contains("\"failing\":[\"calls\"]");
            assertThat(container.operations().live().httpStatus()).as("draining is alive").isEqualTo(200);
            container.close();
            assertThat(container.operations().live().httpStatus()).isEqualTo(503);
        } finally {
            drachtio.close();
            media.close();
        }
    }

    private static void awaitReady(Container container, int status) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        boolean reached = Poll.until(Duration.ofSeconds(30), () -> {
            HealthReport r = container.operations().ready();
            seen.add(r.json());
            return r.httpStatus() == status;
        });
        assertThat(reached).as("ready %d; last report: %s", status, seen.isEmpty() ? "" : seen.get(seen.size() - 1)).isTrue();
    }

    private static DrachtioServer drachtio(int adminPort, int sipPort) {
        return DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", adminPort))
                .secret(SECRET)
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500),
                        TimerConfig.DEFAULTS))
                .build());
    }

    private MediaServer media(int eslPort) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(loopback, 0))
                .esl(new InetSocketAddress(loopback, eslPort))
                .password(PASSWORD)
                .recordings(dir.resolve("recordings"))
                .build());
    }

    private static double sip(String scrape, String name, String method) {
        return value(scrape, name, "method", method, "stack", "drachtio");
    }

    private static double sipResponse(String scrape, String method, int status) {
        return value(scrape, "sip_responses_sent_total", "method", method, "stack", "drachtio", "status", Integer.toString(status),
                "class", status / 100 + "xx");
    }

    /** The value of the one sample named {@code name} carrying the {@code labels} (name, value pairs). */
    static double value(String scrape, String name, String... labels) {
        List<Double> found = samples(scrape, name, labels);
        assertThat(found).as("samples of %s %s in:%n%s", name, List.of(labels), scrape).hasSize(1);
        return found.get(0);
    }

    /** The sum of every sample named {@code name} carrying the {@code labels}. */
    static double sum(String scrape, String name, String... labels) {
        return samples(scrape, name, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static List<Double> samples(String scrape, String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                found.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return found;
    }
}
