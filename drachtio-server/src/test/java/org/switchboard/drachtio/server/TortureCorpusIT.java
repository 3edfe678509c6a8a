package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * Every RFC 4475 and RFC 5118 torture message thrown at the embedded server over UDP, TCP and TLS, with no app
 * connected and with an app that routes INVITE, OPTIONS and REGISTER (rejecting INVITEs with 486): the first final
 * answer (or its absence, or a closed connection) must be one the corpus index allows. The checks every UAS makes
 * (505, 416, 420, 406) come before routing, so they hold with no app as with one.
 */
class TortureCorpusIT {

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final Duration T1 = Duration.ofMillis(50);

    @TempDir
    static Path certificates;
    // a fresh server per message: the corpus reuses branches, so a shared one would see retransmissions
    private DrachtioServer server;
    private JavaUasApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        server.close();
    }

    private static void tlsOnly(DrachtioServerConfig.Builder b) {
        Identity identity = TestCertificates.localhost(certificates, "server");
        b.sip(new SipStackConfig(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0).symmetricResponses(true)
                .tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build()).build(),
                TimerConfig.scaled(T1)));
    }

    static Stream<Arguments> corpus() {
        return Interop.tortureCorpus().stream().flatMap(c -> Stream.of("udp", "tcp", "tls")
                .flatMap(transport -> Stream.of("no app", "an app")
                        .map(apps -> Arguments.of(c.file(), transport, apps, c.accept()))));
    }

    @ParameterizedTest(name = "{0} over {1} with {2}: {3}")
    @MethodSource("corpus")
    void answerIsOneTheIndexAllows(String file, String transport, String apps, String accept) throws Exception {
        byte[] bytes = Interop.bytes(file);
        if (file.startsWith("rfc5118/")) {
            bytes = Interop.rfc5118WireForm(bytes);
        }
        // the corpus's Via headers name hosts such as 192.0.2.1: answers go back to where the request came from
        server = TestServers.start(T1, DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false,
                DrachtioServerConfig.DEFAULT_MIN_SESSION_EXPIRES, true, transport.equals("tls") ? TortureCorpusIT::tlsOnly : b -> { });
        if (apps.equals("an app")) {
            app = JavaUasApp.connect(server.adminAddress(), 486, "", "options", "register");
        }
        InetSocketAddress sip = server.sipListenPoints().get(0).address();

        Duration patience = TortureProbe.patience(accept, transport, QUIET);
        String outcome = transport.equals("tls")
                ? TortureProbe.answer(bytes, TestCertificates.trustingClient(certificates), sip, patience)
                : TortureProbe.answer(bytes, transport, sip, patience);

        assertThat(TortureProbe.allows(accept, transport, outcome))
                .as("%s over %s with %s answered %s; the index allows %s", file, transport, apps, outcome, accept)
                .isTrue();
    }
}
