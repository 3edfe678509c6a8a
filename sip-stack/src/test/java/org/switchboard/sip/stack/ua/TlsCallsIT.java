package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
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
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * Two user agents calling each other over TLS on loopback, with certificates made for the test: PEM files and a key
 * store, client certificates, and the certificates a client must refuse (expired, untrusted, for another host).
 */
class TlsCallsIT {

    // keytool is slow (a JVM per step): the certificates are made once for the class
    @TempDir
    static Path dir;
    static Path ca;
    static Identity server;
    static Identity client;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority(dir);
        server = TestCertificates.localhost(dir, "uas");
        client = TestCertificates.localhost(dir, "uac");
    }

    private final List<UserAgent> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(UserAgent::close);
    }

    private UserAgent agent(TlsConfig tls) {
        UserAgent ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0).tls(tls).build(),
                        TimerConfig.scaled(Duration.ofMillis(100))))
                .build());
        agents.add(ua);
        return ua;
    }

    private static TlsConfig.Builder pem(Identity identity) {
        return TlsConfig.builder().pem(identity.certificate(), identity.privateKey());
    }

    private static Dialog call(UserAgent uac, UserAgent uas) throws Exception {
        ListenPoint target = uas.stack().transport().listenPoints().get(0);
        SipUri uri = SipUri.parse("sips:service@127.0.0.1:" + target.address().getPort());
        Destination destination = Destination.ofLiteral(uri).orElseThrow();
        assertThat(destination.transport()).isEqualTo(Transport.TLS);
        return uac.invite(uri, destination, "v=0\r\n").get(10, TimeUnit.SECONDS);
    }

    @Test
    void callsOverTlsWithPemFilesAndReusesTheConnection() throws Exception {
        UserAgent uas = agent(pem(server).trustedCertificates(ca).build());
        UserAgent uac = agent(pem(client).trustedCertificates(ca).build());

        Dialog first = call(uac, uas);
        first.bye().get(5, TimeUnit.SECONDS);
        Dialog second = call(uac, uas);
        second.bye().get(5, TimeUnit.SECONDS);

        Poll.await(Duration.ofSeconds(5), "two calls answered and hung up over TLS",
                () -> uas.stats().answered() == 2 && uas.stats().byesReceived() == 2);
        assertThat(uac.stack().transport().stats().tlsHandshakeFailures()).isZero();
        assertThat(uas.stack().transport().stats().tlsHandshakeFailures()).isZero();
    }

    @Test
    void callsWithAKeyStoreAndARequiredClientCertificate() throws Exception {
        UserAgent uas = agent(TlsConfig.builder().keyStore(server.keyStore(), TestCertificates.PASSWORD)
                .trustStore(client.keyStore(), TestCertificates.PASSWORD) // holds the CA too
                .clientAuth(TlsConfig.ClientAuth.REQUIRE).build());
        UserAgent uac = agent(TlsConfig.builder().keyStore(client.keyStore(), TestCertificates.PASSWORD)
                .trustedCertificates(ca).build());

        call(uac, uas).bye().get(5, TimeUnit.SECONDS);

        Poll.await(Duration.ofSeconds(5), "the call answered", () -> uas.stats().answered() == 1);
    }

    @Test
    void aServerRequiringClientCertificatesRefusesAnUntrustedClient() throws Exception {
        Identity stranger = TestCertificates.selfSigned(dir, "stranger");
        UserAgent uas = agent(pem(server).trustedCertificates(ca).clientAuth(TlsConfig.ClientAuth.REQUIRE).build());
        UserAgent uac = agent(pem(stranger).trustedCertificates(ca).build());

        assertThatThrownBy(() -> call(uac, uas)).isInstanceOf(ExecutionException.class);
        Poll.await(Duration.ofSeconds(5), "the server counted the refused handshake",
                () -> uas.stack().transport().stats().tlsHandshakeFailures() == 1);
        assertThat(uas.stats().answered()).isZero();
    }

    /**
     * OPTIONAL serves clients that present no certificate, and so a client whose certificate no CA the server trusts
     * issued: the JDK's client sends only a certificate from one of the CAs the server names in its request, so that
     * client, too, connects without one (and gets nothing a verified certificate gives, such as RFC 5923 reuse).
     */
    @Test
    void aServerAskingForOptionalClientCertificatesServesClientsWithoutOne() throws Exception {
        UserAgent uas = agent(pem(server).trustedCertificates(ca).clientAuth(TlsConfig.ClientAuth.OPTIONAL).build());
        int port = uas.stack().transport().listenPoints().get(0).address().getPort();
        try (SSLSocket anonymous = (SSLSocket) TestCertificates.trustingClient(dir).createSocket("127.0.0.1", port)) {
            anonymous.setSoTimeout(10_000);
            anonymous.getOutputStream().write(("OPTIONS sip:service@127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bK-optional-1\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:anonymous@127.0.0.1>;tag=o1\r\nTo: <sip:service@127.0.0.1>\r\n"
                    + "Call-ID: optional-client-auth\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(anonymous.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as("the answer to a client that presented no certificate").startsWith("SIP/2.0 ");
        }
        UserAgent stranger = agent(pem(TestCertificates.selfSigned(dir, "passer-by")).trustedCertificates(ca).build());

        call(stranger, uas).bye().get(5, TimeUnit.SECONDS);

        Poll.await(Duration.ofSeconds(5), "the stranger's call answered", () -> uas.stats().answered() == 1);
        assertThat(uas.stack().transport().stats().tlsHandshakeFailures()).isZero();
    }

    @Test
    void refusesAnExpiredCertificate() {
        refused(TestCertificates.expired(dir, "old"), "certificate expired");
    }

    @Test
    void refusesAnUntrustedSelfSignedCertificate() {
        refused(TestCertificates.selfSigned(dir, "impostor"), "certificate not trusted");
    }

    @Test
    void refusesACertificateForAnotherHost() {
        refused(TestCertificates.forHost(dir, "elsewhere", "sip.example.com"), "does not name the host");
    }

    /** The client trusts the test CA; the server presents {@code presented}; the call must fail for {@code reason}. */
    private void refused(Identity presented, String reason) {
        UserAgent uas = agent(pem(presented).build());
        UserAgent uac = agent(pem(client).trustedCertificates(ca).build());

        ExecutionException failure = catchThrowableOfType(ExecutionException.class, () -> call(uac, uas));
        assertThat(failure).as("the call must fail").isNotNull();
        assertThat(failure.getCause()).isInstanceOf(CallFailedException.class);
        assertThat(((CallFailedException) failure.getCause()).status()).isEqualTo(503);
        assertThat(messages(failure)).as("why the handshake failed")
                .anySatisfy(m -> assertThat(m).contains("TLS handshake").contains(reason));
        assertThat(uac.stack().transport().stats().tlsHandshakeFailures()).isEqualTo(1);
        assertThat(uas.stats().answered()).isZero();
    }

    private static List<String> messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return out;
    }
}
