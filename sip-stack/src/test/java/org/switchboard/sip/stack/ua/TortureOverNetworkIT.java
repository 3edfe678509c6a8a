package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.interop.TortureProbe;
import org.switchboard.testing.tls.TestCertificates;

/**
 * Every RFC 4475 and RFC 5118 torture message thrown at the minimal UAS over UDP, TCP and TLS; the
 * first final answer (or its absence, or a closed connection) must be one the INDEX's accept column allows (TLS
 * follows its TCP rules: the same stream framing under the encryption).
 */
class TortureOverNetworkIT {

    private static final Duration QUIET = Duration.ofMillis(400);
    // a fresh user agent per message: the corpus reuses branches, so a shared one would see retransmissions
    private UserAgent ua;

    @TempDir
    static Path certificates;
    private static TestCertificates.Identity identity;
    private static SSLSocketFactory tlsClient;

    @BeforeAll
    static void tls() {
        identity = TestCertificates.localhost(certificates, "uas");
        tlsClient = TestCertificates.trustingClient(certificates);
    }

    /**
     * The corpus's Via headers name hosts such as 192.0.2.1 that this test cannot listen on, so UDP
     * answers go back to where the request came from (symmetric responses).
     */
    private static UserAgent start(Transport transport) {
        TransportConfig.Builder t = TransportConfig.builder().listen(transport, "127.0.0.1", 0).symmetricResponses(true);
        if (transport == Transport.TLS) {
            t.tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build());
        }
        return UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(t.build(), TimerConfig.scaled(Duration.ofMillis(50))))
                .build());
    }

    @AfterEach
    void stop() {
        ua.close();
    }

    static Stream<Arguments> corpus() {
        return Interop.tortureCorpus().stream()
                .flatMap(c -> Stream.of("udp", "tcp", "tls").map(transport -> Arguments.of(c.file(), transport, c.accept())));
    }

    @ParameterizedTest(name = "{0} over {1}: {2}")
    @MethodSource("corpus")
    void answerIsOneTheIndexAllows(String file, String transport, String accept) throws IOException {
        byte[] bytes = Interop.bytes(file);
        if (file.startsWith("rfc5118/")) {
            bytes = Interop.rfc5118WireForm(bytes);
        }
        ua = start(Transport.of(transport));
        InetSocketAddress server = ua.stack().transport().listenPoints().get(0).address();
        Duration patience = TortureProbe.patience(accept, transport, QUIET);
        String outcome = transport.equals("tls") ? TortureProbe.answer(bytes, tlsClient, server, patience)
                : TortureProbe.answer(bytes, transport, server, patience);
        assertThat(TortureProbe.allows(accept, transport, outcome))
                .as("%s over %s answered %s; the index allows %s", file, transport, outcome, accept).isTrue();
    }
}
