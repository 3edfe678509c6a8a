package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
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
    static void tls() throws Exception {
        identity = TestCertificates.localhost(certificates, "uas");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(TestCertificates.authority(certificates))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        tlsClient = context.getSocketFactory();
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

    private static int port(UserAgent ua) {
        return ua.stack().transport().listenPoints().get(0).address().getPort();
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
        String outcome = transport.equals("udp") ? overUdp(bytes)
                : overStream(transport.equals("tls") ? tlsClient : SocketFactory.getDefault(), bytes);
        String rules = transport.equals("tls") ? "tcp" : transport;
        List<String> allowed = Arrays.stream(accept.split("\\|"))
                .filter(a -> !a.contains(":") || a.startsWith(rules + ":"))
                .map(a -> a.contains(":") ? a.substring(a.indexOf(':') + 1) : a)
                .toList();
        assertThat(allowed.stream().anyMatch(a -> matches(a, outcome)))
                .as("%s over %s answered %s; the index allows %s", file, transport, outcome, allowed).isTrue();
    }

    private static boolean matches(String rule, String outcome) {
        return switch (rule) {
            case "parsed" -> outcome.matches("[1-6]\\d\\d") && !outcome.equals("400");
            case "none" -> outcome.equals("none");
            case "closed" -> outcome.equals("closed");
            default -> rule.endsWith("xx") ? outcome.charAt(0) == rule.charAt(0) : rule.equals(outcome);
        };
    }

    /** The status of the first final response, "none" when nothing final comes. */
    private String overUdp(byte[] bytes) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout((int) QUIET.toMillis());
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port(ua))));
            byte[] buffer = new byte[65535];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return "none";
                }
                String status = status(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
                if (status != null && status.charAt(0) != '1') {
                    return status;
                }
            }
        }
    }

    /** The status of the first final response, "closed" when the server closed first, "none" when silent. */
    private String overStream(SocketFactory sockets, byte[] bytes) throws IOException {
        try (Socket socket = sockets.createSocket("127.0.0.1", port(ua))) {
            socket.setSoTimeout((int) QUIET.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[65535];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    return "none";
                } catch (IOException e) {
                    return "closed";
                }
                if (n < 0) {
                    return finalStatus(received.toString()).orElse("closed");
                }
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                java.util.Optional<String> status = finalStatus(received.toString());
                if (status.isPresent()) {
                    return status.get();
                }
            }
        }
    }

    private static java.util.Optional<String> finalStatus(String stream) {
        for (String part : stream.split("(?=SIP/2\\.0 \\d\\d\\d )")) {
            String status = status(part);
            if (status != null && status.charAt(0) != '1') {
                return java.util.Optional.of(status);
            }
        }
        return java.util.Optional.empty();
    }

    private static String status(String message) {
        return message.startsWith("SIP/2.0 ") && message.length() >= 11 ? message.substring(8, 11) : null;
    }

}
