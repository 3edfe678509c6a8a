package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.testing.tls.TestCertificates;

/**
 * The SIP profile's TLS listener (sofia's {@code tls} settings): {@code sofia status} lists it on a second profile
 * line ending {@code (TLS)}, which is how drachtio-fsmrf finds it (its "dtls" capability), and SIP over it reaches
 * the media server's call routing.
 */
class SipTlsIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void sofiaStatusListsTheTlsListenerAndSipOverItIsAnswered() throws Exception {
        TestCertificates.Identity identity = TestCertificates.localhost(dir, "media");
        Path certs = Files.createDirectories(dir.resolve("tls"));
        // sofia-sip's agent.pem: the key and the certificate in one file
        Files.writeString(certs.resolve(SipTls.AGENT_PEM), Files.readString(identity.privateKey())
                + Files.readString(identity.certificate()));
        try (MediaServer server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43000, 43020)
                .sipTls(new SipTls(0, certs, Optional.empty(), SipTls.DEFAULT_VERSIONS))
                .build());
             EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                     .port(server.eslAddress().getPort()).password("ClueCon").reconnect(false).build(), e -> { })
                     .get(5, TimeUnit.SECONDS)) {
            int tlsPort = server.sipTlsAddress().orElseThrow().getPort();
            assertThat(tlsPort).isNotEqualTo(server.sipAddress().getPort());
            String status = client.api("sofia status").get(5, TimeUnit.SECONDS);
            assertThat(status.lines().toList()).contains(
                    String.format("%25s\t%s\t  %40s\t%s", "drachtio_mrf", "profile",
                            "sip:mod_sofia@127.0.0.1:" + server.sipAddress().getPort(), "RUNNING (0)"),
                    String.format("%25s\t%s\t  %40s\t%s", "drachtio_mrf", "profile",
                            "sip:mod_sofia@127.0.0.1:" + tlsPort, "RUNNING (0) (TLS)"));
            // drachtio-fsmrf's own expressions (lib/mediaserver.js) find both addresses
            Matcher udp = Pattern.compile("^\\s*drachtio_mrf\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+)",
                    Pattern.MULTILINE).matcher(status);
            Matcher tls = Pattern.compile(
                    "^\\s*drachtio_mrf\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+).*\\(TLS\\)",
                    Pattern.MULTILINE).matcher(status);
            assertThat(udp.find() && tls.find()).isTrue();
            assertThat(udp.group(1)).isEqualTo("127.0.0.1:" + server.sipAddress().getPort());
            assertThat(tls.group(1)).isEqualTo("127.0.0.1:" + tlsPort);

            // an INVITE over TLS, trusting the test CA: routed like any other (not from fsmrf: 404)
            assertThat(TlsInvite.finalStatus(TestCertificates.trustingClient(dir), tlsPort))
                    .isEqualTo("SIP/2.0 404 Not Found");
            assertThat(server.channelCount()).isZero();
        }
    }

    @Test
    void aCertificateFolderWithoutAgentPemIsRefused() {
        assertThatThrownBy(() -> SipTls.of(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no readable agent.pem");
        assertThatThrownBy(() -> SipTls.parseVersions("tlsv1").forEach(v -> new SipTls(0, dir, Optional.empty(),
                List.of(v)))).hasMessageContaining("tls-version 'tlsv1' is not accepted here");
    }
}
