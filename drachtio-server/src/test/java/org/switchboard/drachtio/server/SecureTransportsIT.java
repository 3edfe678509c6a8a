package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * The embedded server configured as {@code sip-server --contact ...;transport=tls --contact ...;transport=wss
 * --key-file K --cert-file C} would be: calls placed over TLS and WSS reach a Java drachtio app and a Node
 * drachtio-srf app, which answer them.
 */
class SecureTransportsIT {

    @TempDir
    static Path dir;
    static Identity identity;
    static DrachtioServer server;

    @BeforeAll
    static void start() {
        identity = TestCertificates.localhost(dir, "server");
        TlsFlags flags = new TlsFlags();
        flags.keyFile(identity.privateKey().toString());
        flags.certFile(identity.certificate().toString());
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:0;transport=udp,tls",
                        "sips:127.0.0.1:0;transport=wss"), 1500, flags.toConfig()), TimerConfig.DEFAULTS))
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"TLS, sips, tls", "WSS, sips, ws"})
    void aCallOverASecureTransportReachesAJavaApp(Transport transport, String scheme, String parameter) throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            callAndHangUp(transport, scheme, parameter);
            Poll.await(Duration.ofSeconds(10), "the app answered and saw the BYE",
                    () -> app.answered() == 1 && app.inDialog() == 1);
        }
    }

    @ParameterizedTest
    @CsvSource({"TLS, sip, tls", "WSS, sip, wss"})
    void aCallOverASecureTransportReachesANodeSrfApp(Transport transport, String scheme, String parameter) throws Exception {
        try (NodeApp app = NodeApp.start(server.adminAddress(), "uas")) {
            callAndHangUp(transport, scheme, parameter);
            app.await(l -> l.startsWith("destroyed"), Duration.ofSeconds(10));
            assertThat(app.count("answered", 1)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"TLS, sips, tls", "WSS, sips, ws"})
    void aNodeSrfB2buaBridgesASecureCallerToAUdpCallee(Transport transport, String scheme, String parameter)
            throws Exception {
        try (UserAgent callee = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(
                TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                TimerConfig.scaled(Duration.ofMillis(100)))).build())) {
            int udp = callee.stack().transport().listenPoints().get(0).address().getPort();
            try (NodeApp app = NodeApp.start(server.adminAddress(), "b2bua", "target=sip:b@127.0.0.1:" + udp)) {
                callAndHangUp(transport, scheme, parameter);
                app.await(l -> l.startsWith("a hung up"), Duration.ofSeconds(10));
                assertThat(app.count("bridged", 1)).isEqualTo(1);
                Poll.await(Duration.ofSeconds(10), "the UDP callee answered and was hung up on",
                        () -> callee.stats().answered() == 1 && callee.stats().byesReceived() == 1);
            }
        }
    }

    /** A sip-stack caller over {@code transport} to the server; the app answers; the caller hangs up. */
    private static void callAndHangUp(Transport transport, String scheme, String parameter) throws Exception {
        ListenPoint point = server.sipListenPoints().stream().filter(p -> p.transport() == transport).findFirst().orElseThrow();
        TlsConfig trust = TlsConfig.builder().pem(identity.certificate(), identity.privateKey())
                .trustedCertificates(TestCertificates.authority(dir)).build();
        try (UserAgent caller = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(
                TransportConfig.builder().listen(transport, "127.0.0.1", 0).tls(trust).build(),
                TimerConfig.scaled(Duration.ofMillis(100)))).build())) {
            SipUri uri = SipUri.parse(scheme + ":service@127.0.0.1:" + point.address().getPort() + ";transport=" + parameter);
            Dialog call = caller.invite(uri, Destination.ofLiteral(uri).orElseThrow(), JavaUasApp.SDP)
                    .get(10, TimeUnit.SECONDS);
            assertThat(call.bye().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            Poll.await(Duration.ofSeconds(10), "no dialog left", () -> server.dialogCount() == 0);
            assertThat(caller.stack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }

    @Test
    void translatesOpenSslCipherNames() {
        assertThat(TlsFlags.javaCipherNames("ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256");
        assertThatThrownBy(() -> TlsFlags.javaCipherNames("HIGH:!aNULL"))
                .hasMessageContaining("'HIGH' is not a cipher suite");
        assertThat(new TlsFlags().toConfig()).isEqualTo(Optional.empty());
    }
}
