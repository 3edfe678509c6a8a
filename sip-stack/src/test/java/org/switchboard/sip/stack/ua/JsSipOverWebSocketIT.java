package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * A real WebSocket SIP client, JsSIP on Node with the {@code ws} package (src/test/node; skipped when not installed):
 * it connects over WS and WSS with the {@code sip} subprotocol and gets the user agent's answer to an OPTIONS back
 * over its own connection, its {@code .invalid} Via host stamped with {@code received}.
 */
class JsSipOverWebSocketIT {

    private static final Path NODE_DIR = Path.of("src/test/node");

    @TempDir
    static Path dir;
    static Identity identity;

    private UserAgent ua;
    private NodeProcess client;

    @BeforeAll
    static void certificates() {
        identity = TestCertificates.localhost(dir, "ua");
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (ua != null) {
            ua.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WS", "WSS"})
    void jsSipGetsAnswersOverItsWebSocket(Transport transport) {
        TransportConfig.Builder t = TransportConfig.builder().listen(transport, "127.0.0.1", 0).webSocketPath("/sip");
        if (transport.isSecure()) {
            t.tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build());
        }
        ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(t.build(), TimerConfig.scaled(Duration.ofMillis(100)))).build());
        int port = ua.stack().transport().listenPoints().get(0).address().getPort();
        String scheme = transport.isSecure() ? "wss" : "ws";
        client = NodeProcess.start(NODE_DIR, "jssip",
                Map.of("NODE_EXTRA_CA_CERTS", TestCertificates.authority(dir).toAbsolutePath().toString()),
                line -> line.startsWith("options failed") || line.startsWith("disconnected"),
                "jssip-client.js", scheme + "://127.0.0.1:" + port + "/sip");

        client.send("options sip:service@127.0.0.1:" + port + ";transport=" + scheme);
        String answer = client.await(l -> l.startsWith("options "), Duration.ofSeconds(10));

        assertThat(answer).startsWith("options 200 SIP/2.0/" + transport + " ").contains(".invalid;")
                .contains("received=127.0.0.1");
        assertThat(ua.stack().transport().stats().messagesReceived()).isEqualTo(1);
    }
}
