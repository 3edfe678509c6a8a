package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
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
 * sofia's {@code tls-only} and {@code tls-verify-policy} on the media server's TLS listener, with real handshakes:
 * a TLS-only profile lists only its TLS line; under {@code in} a client without a certificate, or with one no CA in
 * {@code cafile.pem} issued, is refused, logged once ({@code SIP-003}) and counted
 * ({@code sip.tls.handshake.failures}, stack {@code media}), while a client with a trusted certificate has its call
 * answered; under {@code subjects_in} the certificate must also name an accepted subject.
 */
@Timeout(120)
class SipTlsVerifyIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static Path certs;
    static Identity fsmrf;
    static Identity other;
    static Identity stranger;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final ch.qos.logback.classic.Logger transportLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
            "org.switchboard.sip.stack.transport.InboundHandler");
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void certificates() throws IOException {
        Identity media = TestCertificates.localhost(dir, "media");
        fsmrf = TestCertificates.localhost(dir, "fsmrf");
        other = TestCertificates.localhost(dir, "other");
        stranger = TestCertificates.selfSigned(dir, "stranger");
        certs = Files.createDirectories(dir.resolve("tls"));
        // sofia-sip's files: agent.pem the key and certificate in one file, cafile.pem the CAs clients must chain to
        Files.writeString(certs.resolve(SipTls.AGENT_PEM), Files.readString(media.privateKey())
                + Files.readString(media.certificate()));
        Files.copy(TestCertificates.authority(dir), certs.resolve(SipTls.CAFILE_PEM));
    }

    @BeforeEach
    void listen() {
        logged.start();
        transportLog.addAppender(logged);
    }

    @AfterEach
    void close() throws Exception {
        transportLog.detachAppender(logged);
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private MediaServer start(SipTls tls) {
        MediaServer server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43200, 43220)
                .sipTls(tls)
                .meterRegistry(meters)
                .build());
        open.add(server);
        return server;
    }

    private static SipTls tls() {
        return new SipTls(0, certs, Optional.empty(), SipTls.DEFAULT_VERSIONS);
    }

    @Test
    void aTlsOnlyProfileListsOnlyItsTlsListener() throws Exception {
        MediaServer server = start(tls().withTlsOnly(true));
        int tlsPort = server.sipTlsAddress().orElseThrow().getPort();
        assertThat(server.sipAddress()).as("the TLS listener is the profile's only one")
                .isEqualTo(server.sipTlsAddress().orElseThrow());
        EslClient esl = esl(server);

        String status = esl.api("sofia status").get(5, TimeUnit.SECONDS);
        assertThat(status.lines().filter(l -> l.contains("sip:mod_sofia@")).toList()).containsExactly(
                String.format("%25s\t%s\t  %40s\t%s", "drachtio_mrf", "profile", "sip:mod_sofia@127.0.0.1:" + tlsPort,
                        "RUNNING (0) (TLS)"));
        String profile = esl.api("sofia status profile drachtio_mrf").get(5, TimeUnit.SECONDS);
        assertThat(profile).contains("TLS-URL          \tsip:mod_sofia@127.0.0.1:" + tlsPort + "\n",
                "TLS-BIND-URL     \tsips:mod_sofia@127.0.0.1:" + tlsPort + ";transport=tls\n")
                .doesNotContain("\nURL", "\nBIND-URL");
        assertThat(esl.api("sofia status profile internal").get(5, TimeUnit.SECONDS)).isEqualTo("Invalid Profile!\n");
    }

    @Test
    void besideUdpTheProfileDetailsListBothListeners() throws Exception {
        MediaServer server = start(tls());
        String profile = esl(server).api("sofia status profile drachtio_mrf").get(5, TimeUnit.SECONDS);
        assertThat(profile).contains(
                "URL              \tsip:mod_sofia@127.0.0.1:" + server.sipAddress().getPort() + "\n",
                "BIND-URL         \tsip:mod_sofia@127.0.0.1:" + server.sipAddress().getPort() + ";transport=udp\n",
                "TLS-URL          \tsip:mod_sofia@127.0.0.1:" + server.sipTlsAddress().orElseThrow().getPort() + "\n");
    }

    @Test
    void underInAClientWithoutACertificateIsRefusedLoggedAndCounted() throws Exception {
        MediaServer server = start(tls().withTlsOnly(true).withVerification(TlsVerifyPolicy.parse("in"), 2, List.of()));

        assertThat(invite(TestCertificates.trustingClient(dir), server)).startsWith("refused");

        awaitRefusals(1, "the client sent no certificate, and this listener requires one");
        assertThat(server.channelCount()).isZero();
    }

    @Test
    void underAllAClientPresentingAnUntrustedCertificateIsRefused() throws Exception {
        MediaServer server = start(tls().withVerification(TlsVerifyPolicy.parse("all"), 2, List.of()));

        assertThat(invite(presenting(stranger), server)).startsWith("refused");

        awaitRefusals(1, "certificate not trusted: no path to a trusted CA");
    }

    @Test
    void underInAClientWithATrustedCertificateHasItsCallAnswered() throws Exception {
        MediaServer server = start(tls().withTlsOnly(true).withVerification(TlsVerifyPolicy.parse("in"), 2, List.of()));

        Dialog call = call(fsmrf, server);
        Poll.await(WAIT, "the call up", () -> server.channelCount() == 1);
        call.bye().get(5, TimeUnit.SECONDS);
        Poll.await(WAIT, "the call hung up", () -> server.channelCount() == 0);
        // the raw client too: a trusted certificate reaches SIP routing (not from fsmrf's User-Agent: 404)
        assertThat(invite(presenting(fsmrf), server)).isEqualTo("SIP/2.0 404 Not Found");
        assertThat(refusals()).isZero();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void underSubjectsInTheCertificateMustNameAnAcceptedSubject() throws Exception {
        MediaServer server = start(tls().withVerification(TlsVerifyPolicy.parse("subjects_in"), 2,
                SipTls.parseSubjects("sip:fsmrf|fsmrf.example.com")));

        Dialog call = call(fsmrf, server);
        call.bye().get(5, TimeUnit.SECONDS);
        assertThat(invite(presenting(other), server)).startsWith("refused");

        awaitRefusals(1, "client certificate names none of the accepted subjects");
    }

    /**
     * The BYE to a caller whose connection the server cannot reuse (no client certificate vouches for its Via alias)
     * opens a new TLS connection to the caller's Contact, and the caller's certificate is checked against
     * {@code cafile.pem}, with its host name, even under {@code none} (sofia would check nothing outgoing).
     */
    @Test
    void theServerChecksTheCertificateOfACallerItConnectsTo() throws Exception {
        MediaServer server = start(tls());
        UserAgent trusted = caller(fsmrf);
        call(trusted, server);
        Poll.await(WAIT, "the call up", () -> server.channelCount() == 1);

        hangUpFromTheServer(server);

        Poll.await(WAIT, "the BYE received over a connection the server opened", () -> trusted.stats().byesReceived() == 1);
        assertThat(refusals()).isZero();
    }

    @Test
    void theServerRefusesAnUntrustedCallerItConnectsTo() throws Exception {
        MediaServer server = start(tls());
        UserAgent untrusted = caller(stranger);
        call(untrusted, server); // no client certificate is asked for under none: the call is answered
        Poll.await(WAIT, "the call up", () -> server.channelCount() == 1);

        hangUpFromTheServer(server);

        // the caller's own stack, in this JVM too, logs the alert it received: only the server's outbound line counts
        Poll.await(WAIT, "the refused handshake counted and logged", () -> refusals() == 1 && outboundWarnings().size() == 1);
        assertThat(outboundWarnings().get(0)).contains("certificate not trusted: no path to a trusted CA");
        assertThat(untrusted.stats().byesReceived()).isZero();
    }

    private void awaitRefusals(long count, String reason) throws InterruptedException {
        Poll.await(WAIT, count + " refused handshake(s) counted and logged", () -> refusals() == count
                && warnings().size() == count);
        assertThat(warnings()).allSatisfy(line -> assertThat(line).startsWith("SIP-003 TLS handshake from /127.0.0.1:")
                .contains(" over TLS failed: " + reason));
    }

    private long refusals() {
        FunctionCounter counter = meters.find("sip.tls.handshake.failures").tag("stack", "media").functionCounter();
        return counter == null ? -1 : (long) counter.count();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private List<String> outboundWarnings() {
        return warnings().stream().filter(line -> line.startsWith("SIP-003 TLS handshake to /127.0.0.1:")).toList();
    }

    private EslClient esl(MediaServer server) throws Exception {
        EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                .port(server.eslAddress().getPort()).password("ClueCon").reconnect(false).build(), e -> { })
                .get(5, TimeUnit.SECONDS);
        open.add(client);
        return client;
    }

    /** A call from sip-stack's user agent over TLS with {@code identity}'s certificate, as drachtio-fsmrf places it. */
    private Dialog call(Identity identity, MediaServer server) throws Exception {
        return call(caller(identity), server);
    }

    private Dialog call(UserAgent ua, MediaServer server) throws Exception {
        SipUri uri = SipUri.parse("sips:drachtio@127.0.0.1:" + server.sipTlsAddress().orElseThrow().getPort());
        return ua.invite(uri, Destination.ofLiteral(uri).orElseThrow(), SipPhone.sdp(9, "0 101")).get(10, TimeUnit.SECONDS);
    }

    /** A user agent listening on TLS with {@code identity} (its Contact), trusting the test CA. */
    private UserAgent caller(Identity identity) {
        UserAgent ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0)
                        .tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey())
                                .trustedCertificates(TestCertificates.authority(dir)).build()).build(),
                        TimerConfig.scaled(Duration.ofMillis(100))))
                .product("drachtio-fsmrf:tls")
                .build());
        open.add(ua::close);
        return ua;
    }

    /** Hangs up the media server's one call, by the event socket's {@code uuid_kill}: the server sends the BYE. */
    private void hangUpFromTheServer(MediaServer server) throws Exception {
        EslClient esl = esl(server);
        String uuid = esl.api("show channels").get(5, TimeUnit.SECONDS).lines().skip(1).findFirst().orElseThrow()
                .split(",")[0];
        assertThat(esl.api("uuid_kill " + uuid).get(5, TimeUnit.SECONDS)).startsWith("+OK");
    }

    private static String invite(SSLSocketFactory factory, MediaServer server) {
        return TlsInvite.finalStatus(factory, server.sipTlsAddress().orElseThrow().getPort());
    }

    /**
     * A client that trusts the test CA and presents {@code identity}'s certificate whatever CAs the server names (the
     * JDK's own key manager offers only a certificate one of them issued, so it would send none for a stranger's).
     */
    private static SSLSocketFactory presenting(Identity identity) throws Exception {
        KeyStore store = KeyStore.getInstance(identity.keyStore().toFile(), TestCertificates.PASSWORD.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, TestCertificates.PASSWORD.toCharArray());
        X509KeyManager keys = (X509KeyManager) kmf.getKeyManagers()[0];
        String alias = keys.getClientAliases("EC", null)[0];
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(TestCertificates.authority(dir))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(ca));
        }
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new X509ExtendedKeyManager[] {new AlwaysPresenting(keys, alias)}, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static final class AlwaysPresenting extends X509ExtendedKeyManager {
        private final X509KeyManager keys;
        private final String alias;

        AlwaysPresenting(X509KeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String name) {
            return keys.getCertificateChain(name);
        }

        @Override
        public PrivateKey getPrivateKey(String name) {
            return keys.getPrivateKey(name);
        }
    }
}
