package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.Dialog;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * A browser's SIP client with a real peer: SIP.js on Node (with {@code ws}) registers over WSS with a drachtio-srf
 * registrar and record-routing proxy on the embedded server, then is called from UDP and calls out. Its Via and
 * Contact name a {@code .invalid} host (RFC 7118), so every request the server sends it, proxied or from the app's
 * own dialog, must go back over the phone's own WebSocket connection. Skipped when the npm peers are not installed.
 */
class WebSocketPhonesIT {

    @TempDir
    static Path dir;
    static DrachtioServer server;
    static int udpPort;
    static int wssPort;
    private NodeApp app;
    private NodeProcess phone;

    @BeforeAll
    static void start() {
        Identity identity = TestCertificates.localhost(dir, "server");
        TlsConfig tls = TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build();
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:0;transport=udp",
                        "sips:127.0.0.1:0;transport=wss"), TransportConfig.builder().tls(tls)), TimerConfig.DEFAULTS))
                .build());
        udpPort = port(Transport.UDP);
        wssPort = port(Transport.WSS);
    }

    private static int port(Transport transport) {
        return server.sipListenPoints().stream().filter(p -> p.transport() == transport).map(ListenPoint::address)
                .findFirst().orElseThrow().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stopPeers() {
        if (phone != null) {
            phone.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private void registeredPhone(String... appArgs) {
        app = NodeApp.start(server.adminAddress(), "wsproxy", appArgs);
        phone = NodeProcess.start(NodeApp.NODE_DIR, "sip.js",
                Map.of("NODE_EXTRA_CA_CERTS", TestCertificates.authority(dir).toAbsolutePath().toString()),
                line -> line.startsWith("start failed") || line.startsWith("register failed"),
                "sipjs-phone.js", "wss://127.0.0.1:" + wssPort, "sip:alice@example.com");
        phone.send("register");
        phone.await(l -> l.startsWith("registered "), Duration.ofSeconds(10));
        assertThat(app.await(l -> l.startsWith("register "), Duration.ofSeconds(5)))
                .as("the phone's Contact is an .invalid host, reached over WSS").contains(".invalid").endsWith("wss");
    }

    @Test
    void aUdpCallerReachesTheWebSocketPhoneThroughTheProxyAndHangsUp() throws Exception {
        registeredPhone();
        try (UserAgent caller = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(
                TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                TimerConfig.scaled(Duration.ofMillis(100)))).build())) {
            SipUri alice = SipUri.parse("sip:alice@127.0.0.1:" + udpPort);
            Dialog call = caller.invite(alice, Destination.ofLiteral(alice).orElseThrow(), JavaUasApp.SDP)
                    .get(10, TimeUnit.SECONDS);
            phone.await(l -> l.equals("established"), Duration.ofSeconds(10));
            assertThat(app.await(l -> l.startsWith("proxied "), Duration.ofSeconds(5))).isEqualTo("proxied 200");

            // the ACK and BYE follow the proxy's Record-Route and leave it for the .invalid Contact
            assertThat(call.bye().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            phone.await(l -> l.equals("terminated"), Duration.ofSeconds(10));
        }
        Poll.await(Duration.ofSeconds(10), "no dialog left", () -> server.dialogCount() == 0);
    }

    @Test
    void theWebSocketPhoneCallsAnAppThatHangsUpOverThePhonesConnection() {
        registeredPhone("hold=300");

        phone.send("call sip:service@example.com");
        phone.await(l -> l.equals("established"), Duration.ofSeconds(10));
        app.await(l -> l.startsWith("answered "), Duration.ofSeconds(5));

        // the app's BYE goes to the phone's .invalid Contact: only its WebSocket connection reaches it
        app.await(l -> l.startsWith("hung up "), Duration.ofSeconds(10));
        phone.await(l -> l.equals("terminated"), Duration.ofSeconds(10));
    }
}
