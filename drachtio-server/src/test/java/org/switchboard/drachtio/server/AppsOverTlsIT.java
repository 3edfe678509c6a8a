package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioTls;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.Dialog;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * The embedded server as {@code sip-server --tls-port N --key-file K --cert-file C} runs it: apps connect over TLS
 * only (no plain admin port), the Java client and Node drachtio-srf (its {@code tls} option) alike, and answer
 * calls placed over UDP; a client that does not trust the server's certificate is refused, logged and counted.
 */
class AppsOverTlsIT {

    @TempDir
    static Path dir;
    static Path ca;
    static DrachtioServer server;

    @BeforeAll
    static void start() {
        ca = TestCertificates.authority(dir);
        Identity identity = TestCertificates.localhost(dir, "server");
        TlsFlags flags = new TlsFlags();
        flags.keyFile(identity.privateKey().toString());
        flags.certFile(identity.certificate().toString());
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .plainAdmin(false)
                .adminTlsPort(0)
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:0;transport=udp"), 1500,
                        flags.toConfig()), TimerConfig.DEFAULTS))
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static InetSocketAddress tlsPort() {
        return server.adminTlsAddress().orElseThrow();
    }

    @Test
    void aJavaAppConnectedOverTlsAnswersACall() throws Exception {
        DrachtioClientConfig.Builder config = DrachtioClientConfig.builder().host("127.0.0.1").port(tlsPort().getPort())
                .tls(DrachtioTls.trusting(ca));
        try (JavaUasApp app = JavaUasApp.connect(config, 200, "")) {
            callAndHangUp();
            Poll.await(Duration.ofSeconds(5), "the app answered and saw the BYE",
                    () -> app.answered() == 1 && app.inDialog() == 1);
        }
    }

    @Test
    void aNodeSrfAppConnectedOverTlsAnswersACall() throws Exception {
        try (NodeApp app = NodeApp.start(Map.of("DRACHTIO_HOST", "127.0.0.1",
                "DRACHTIO_PORT", Integer.toString(tlsPort().getPort()), "DRACHTIO_TLS_CA", ca.toString()), "uas")) {
            callAndHangUp();
            app.await(l -> l.startsWith("destroyed"), Duration.ofSeconds(5));
            assertThat(app.count("answered", 1)).isEqualTo(1);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedLoggedAndCounted() throws Exception {
        Identity stranger = TestCertificates.selfSigned(dir, "stranger");
        long before = server.appTlsHandshakeFailures();
        DrachtioClientConfig config = DrachtioClientConfig.builder().host("127.0.0.1").port(tlsPort().getPort())
                .tls(DrachtioTls.trusting(stranger.certificate())).reconnect(false).build();

        assertThatThrownBy(() -> DrachtioClient.connect(config, frame -> { }).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("TLS handshake with drachtio+tls://127.0.0.1");
        Poll.await(Duration.ofSeconds(5), "the server counted the refused handshake",
                () -> server.appTlsHandshakeFailures() == before + 1);
        assertThat(server.routes("invite")).isZero();
    }

    @Test
    void aTlsOnlyServerHasNoPlainAppPortAndTheTlsPortNeedsAnIdentity() {
        assertThatThrownBy(server::adminAddress).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("over TLS only");
        assertThatThrownBy(() -> DrachtioServerConfig.builder().adminTlsPort(0).build())
                .hasMessageContaining("--key-file and --cert-file");
        assertThatThrownBy(() -> DrachtioServerConfig.builder().plainAdmin(false).build())
                .hasMessageContaining("adminTlsPort");
    }

    /** A sip-stack caller over UDP to the server; the app answers; the caller hangs up. */
    private static void callAndHangUp() throws Exception {
        int sip = server.sipListenPoints().get(0).address().getPort();
        try (UserAgent caller = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(
                TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                TimerConfig.scaled(Duration.ofMillis(100)))).build())) {
            SipUri uri = SipUri.parse("sip:service@127.0.0.1:" + sip);
            Dialog call = caller.invite(uri, Destination.ofLiteral(uri).orElseThrow(), JavaUasApp.SDP)
                    .get(10, TimeUnit.SECONDS);
            assertThat(call.bye().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            Poll.await(Duration.ofSeconds(5), "no dialog left", () -> server.dialogCount() == 0);
        }
    }
}
