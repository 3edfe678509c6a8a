package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.wire.DrachtioFrame;

/** The control-connection checks (docs/drachtio.md, conformance checks 2 to 6, 16, 17, 19, 20) with a raw socket and the Java client. */
class ServerProtocolTest {

    private static DrachtioServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A bare control connection that writes and reads frames byte by byte. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Raw() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.adminAddress().getPort());
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
        }

        void write(String bytes) throws IOException {
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
        }

        void send(String payload) throws IOException {
            write(payload.getBytes(StandardCharsets.UTF_8).length + "#" + payload);
        }

        String read() throws IOException {
            int length = 0;
            for (int b; (b = in.read()) != '#'; ) {
                if (b < 0) {
                    return null;
                }
                length = length * 10 + (b - '0');
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aBadSecretIsRefusedAndTheConnectionClosed() throws IOException {
        try (Raw raw = new Raw()) {
            raw.send("c-1|authenticate|wrong|");
            assertThat(raw.read()).matches("[^|]+\\|response\\|c-1\\|NO\\|incorrect secret");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void theRightSecretGetsTheHostListAndAVersionDrachtioSrfAccepts() throws IOException {
        try (Raw raw = new Raw()) {
            raw.send("c-1|authenticate|cymru|blue,green");
            String port = Integer.toString(server.sipListenPoints().get(0).address().getPort());
            assertThat(raw.read()).matches("[^|]+\\|response\\|c-1\\|OK\\|udp/127\\.0\\.0\\.1:" + port + ",tcp/127\\.0\\.0\\.1:"
                    + port + "\\|v\\d+\\.\\d+\\.\\d+[^|]*\\|udp/127\\.0\\.0\\.1:" + port + ",tcp/127\\.0\\.0\\.1:" + port);
            raw.send("c-2|ping");
            assertThat(raw.read()).endsWith("|response|c-2|OK|pong");
            raw.send("c-3|route|INVITE");
            assertThat(raw.read()).endsWith("|response|c-3|OK");
            raw.send("c-4|remove_route|invite");
            assertThat(raw.read()).endsWith("|response|c-4|OK");
        }
    }

    @Test
    void nothingButAuthenticateIsAcceptedFirst() throws IOException {
        try (Raw raw = new Raw()) {
            raw.send("c-1|route|invite");
            assertThat(raw.read()).endsWith("|response|c-1|NO|not authenticated");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void anUnknownCommandIsRefusedAndABadLengthClosesTheConnection() throws IOException {
        try (Raw raw = new Raw()) {
            raw.send("c-1|authenticate|cymru|");
            raw.read();
            raw.send("c-2|chain|x");
            assertThat(raw.read()).endsWith("|response|c-2|NO|Unknown message type");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (Raw raw = new Raw()) {
            raw.write("1x#c-1|ping");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (Raw raw = new Raw()) {
            // one frame split inside its length digits and a UTF-8 payload counted in bytes
            String payload = "c-1|authenticate|cymru|tag-é";
            String frame = payload.getBytes(StandardCharsets.UTF_8).length + "#" + payload;
            raw.write(frame.substring(0, 1));
            raw.socket.getOutputStream().flush();
            raw.write(frame.substring(1));
            assertThat(raw.read()).contains("|response|c-1|OK|");
        }
    }

    @Test
    void appRequestsAreCompletedAndRefusedAsTheSpecSays() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                     .port(server.adminAddress().getPort()).build(), frame -> { }).get(10, TimeUnit.SECONDS)) {
            String sipPort = Integer.toString(server.sipListenPoints().get(0).address().getPort());
            DrachtioFrame sent = client.sendSip("", "", Optional.empty(), "INVITE sip:bob@127.0.0.1:" + peer.getLocalPort()
                    + " SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKapp\r\nRoute: <sip:10.9.9.9;lr>\r\n"
                    + "Record-Route: <sip:10.9.9.9;lr>\r\nRSeq: 9\r\nContent-Length: 999\r\nmy-header: custom\r\n"
                    + "X-lower-Case: kept\r\nfrom: <sip:123@localhost>\r\n\r\n").get(10, TimeUnit.SECONDS);
            assertThat(sent.isOk()).as(sent.toString()).isTrue();
            String invite = sent.sipMessage().orElseThrow();
            assertThat(invite).doesNotContain("10.9.9.9", "RSeq", "Content-Length: 999").contains("My-Header: custom",
                    "X-lower-Case: kept", "From: <sip:123@127.0.0.1:" + sipPort + ">;tag=", "To: <sip:bob@127.0.0.1:",
                    "Content-Length: 0", "Max-Forwards: 70");
            assertThat(invite.lines().filter(l -> l.startsWith("Via:")).count()).isEqualTo(1);

            DrachtioFrame noType = client.sendSip("", "", Optional.empty(), "MESSAGE sip:bob@127.0.0.1:"
                    + peer.getLocalPort() + " SIP/2.0\r\n\r\nhello").handle((f, e) -> f).get(10, TimeUnit.SECONDS);
            assertThat(refusal(client, "MESSAGE sip:bob@127.0.0.1:" + peer.getLocalPort() + " SIP/2.0\r\n\r\nhello"))
                    .isEqualTo("missing content-type");
            assertThat(noType).isNull();
            assertThat(refusal(client, "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n\r\n"))
                    .isEqualTo("can not send request to myself");
            assertThat(refusalInDialog(client, "nope;from-tag=x", "BYE sip:placeholder SIP/2.0\r\n\r\n"))
                    .isEqualTo("Server error: unable to find dialog for dialog id provided");
            assertThat(refusalInDialog(client, "nope;from-tag=x", "ACK sip:placeholder SIP/2.0\r\n\r\n"))
                    .isEqualTo("Server error: ACK for non-success final response is automatically generated by server");
            DrachtioFrame cancel = client.request("sip", java.util.List.of("unknown-txn", ""),
                    Optional.of("CANCEL sip:bob@127.0.0.1 SIP/2.0\r\n\r\n")).handle((f, e) -> f).get(10, TimeUnit.SECONDS);
            assertThat(cancel).isNull();
            DrachtioFrame response = client.request("sip", java.util.List.of("unknown-txn", ""),
                    Optional.of("SIP/2.0 200 OK\r\n\r\n")).handle((f, e) -> f).get(10, TimeUnit.SECONDS);
            assertThat(response).isNull();
            assertThat(client.isConnected()).as("NOK keeps the connection").isTrue();
        }
    }

    private static String refusal(DrachtioClient client, String sip) throws Exception {
        return client.sendSip("", "", Optional.empty(), sip).handle((f, e) -> e.getMessage()).get(10, TimeUnit.SECONDS)
                .replaceAll(".*NOK[|: ]*", "");
    }

    private static String refusalInDialog(DrachtioClient client, String dialogId, String sip) throws Exception {
        return client.sendSip("", dialogId, Optional.empty(), sip).handle((f, e) -> e.getMessage())
                .get(10, TimeUnit.SECONDS).replaceAll(".*NOK[|: ]*", "");
    }

    @Test
    void metricsAreServedForPrometheus() throws Exception {
        try (DrachtioServer withMetrics = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .sip(new org.switchboard.sip.stack.SipStackConfig(org.switchboard.sip.stack.transport.TransportConfig.builder()
                        .listen(org.switchboard.sip.stack.transport.Transport.UDP, "127.0.0.1", 0).build(),
                        org.switchboard.sip.stack.transaction.TimerConfig.DEFAULTS))
                .metricsPort(0).build());
             DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                     .port(withMetrics.adminAddress().getPort()).build(), frame -> { }).get(10, TimeUnit.SECONDS)) {
            java.net.InetSocketAddress at = withMetrics.metricsAddress().orElseThrow();
            assertThat(at.getAddress().isLoopbackAddress()).isTrue();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + at.getPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(org.switchboard.metrics.ScrapeEndpoint.CONTENT_TYPE);
            assertThat(r.body()).as("drachtio-server's gauges, the stack's meters, the JVM's")
                    .contains("# TYPE drachtio_app_connections gauge\ndrachtio_app_connections 1.0\n",
                            "drachtio_dialogs 0.0\n", "sip_transactions_active{kind=\"server\",stack=\"drachtio\"} 0.0\n",
                            "sip_requests_received_total{method=\"INVITE\",stack=\"drachtio\"} 0.0\n",
                            "jvm_memory_used_bytes", "process_cpu_usage");
        }
    }
}
