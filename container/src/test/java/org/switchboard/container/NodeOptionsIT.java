package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.lifecycle.Lifecycle;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The container's answer to a SIP load balancer's keep-alive: an OPTIONS to the node itself (no user in the
 * Request-URI) that no application takes gets 200 with Allow, Accept and Supported while the node takes calls,
 * 503 with Retry-After while it drains and while no application is deployed, and (with {@code health.options=false})
 * the server's own 503 as before. Sent from a plain UDP socket, retransmitted like a UAC's non-INVITE request.
 */
class NodeOptionsIT {

    @TempDir
    Path dir;
    int sipPort;

    private ContainerConfig config(boolean withApplication, String... more) throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        if (withApplication) {
            Files.copy(Path.of("target/samples/sample-uas.war"), deployments.resolve("uas.war"), StandardCopyOption.REPLACE_EXISTING);
        }
        sipPort = FreePorts.udp();
        Map<String, String> values = new HashMap<>(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "shutdown.drain", "20"));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return ContainerConfig.of(values);
    }

    /** Sends an OPTIONS to {@code uri} and returns its final response (retransmitted every 500 ms, for up to 10 s). */
    private SipResponse options(String uri) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String branch = "z9hG4bK" + UUID.randomUUID();
            String request = "OPTIONS " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                    + "To: <" + uri + ">\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            DatagramPacket out = new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort);
            byte[] buffer = new byte[4096];
            socket.setSoTimeout(500);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                socket.send(out);
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    SipResponse response = (SipResponse) SipMessage.parse(in.getData(), 0, in.getLength());
                    if (response.status() >= 200) {
                        return response;
                    }
                } catch (SocketTimeoutException retransmit) {
                    // Timer E: send it again
                }
            }
            throw new AssertionError("no final response to OPTIONS " + uri + " within 10 s");
        }
    }

    private String node() {
        return "sip:127.0.0.1:" + sipPort;
    }

    /**
     * The first answer to a probe of the node that is {@code wanted}, or the last one after 10 s: the container
     * registers its routes with the server asynchronously once started, and until then the server answers 503 itself.
     */
    private SipResponse probeUntil(Predicate<SipResponse> wanted) throws InterruptedException {
        AtomicReference<SipResponse> last = new AtomicReference<>();
        Poll.until(Duration.ofSeconds(10), () -> {
            try {
                last.set(options(node()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return wanted.test(last.get());
        });
        return last.get();
    }

    @Test
    void aNodeThatTakesCallsAnswers200WithWhatItTakesAndKeepsNoCallState() throws Exception {
        try (Container container = Container.start(config(true))) {
            SipResponse ok = probeUntil(r -> r.status() == 200);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Allow")).get().asString().contains("INVITE").contains("OPTIONS").contains("BYE").contains("ACK");
            assertThat(ok.header("Accept")).contains("application/sdp");
            assertThat(ok.header("Supported")).contains("100rel, timer");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> container.sip().isIdle())).as(container.sip().stats()).isTrue();
            assertThat(options("sip:nobody@127.0.0.1:" + sipPort).status()).as("an OPTIONS to a user nobody takes").isEqualTo(404);
        }
    }

    @Test
    void aDrainingNodeAnswers503WithRetryAfterWhileItsCallsEnd() throws Exception {
        try (Container container = Container.start(config(true))) {
            assertThat(probeUntil(r -> r.status() == 200).status()).isEqualTo(200);
            Sipp.Running call = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1", "-d", "4000").deadline(Duration.ofSeconds(30)).start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> container.sip().calls() == 1)).as("the call is up").isTrue();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(
                    () -> Lifecycle.stop(Duration.ofSeconds(20), List.of(container), new CopyOnWriteArrayList<String>()::add));
            assertThat(Poll.until(Duration.ofSeconds(5), container::isShutdown)).isTrue();

            SipResponse draining = options(node());
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.header("Retry-After")).contains("20");

            Sipp.Result r = call.await();
            assertThat(r.successfulCalls()).as("the call in progress ended normally: " + r.describe()).isEqualTo(1);
            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aNodeWithNoApplicationIsNotReady() throws Exception {
        try (Container container = Container.start(config(false))) {
            SipResponse notReady = probeUntil(r -> r.header("Retry-After").isPresent());
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.header("Retry-After")).contains("5");
        }
    }

    @Test
    void turnedOffTheServerAnswersAsBefore() throws Exception {
        try (Container container = Container.start(config(true, "health.options", "false"))) {
            Sipp.Result call = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                    .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1", "-d", "100").deadline(Duration.ofSeconds(30)).run();
            assertThat(call.successfulCalls()).as("the routes are registered: " + call.describe()).isEqualTo(1);
            SipResponse noRoute = options(node());
            assertThat(noRoute.status()).as("the server's own answer: no application routes OPTIONS").isEqualTo(503);
            assertThat(noRoute.header("Retry-After")).isEmpty();
        }
    }
}
