package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/** {@code sip-server}'s flags, drachtio-server's environment variables and its XML file, and their precedence. */
class SipServerMainTest {

    @TempDir
    static Path dir;
    static Identity identity;

    @BeforeAll
    static void certificate() {
        identity = TestCertificates.localhost(dir, "server");
    }

    private static String[] withKey(String... flags) {
        List<String> all = new java.util.ArrayList<>(List.of(flags));
        all.addAll(List.of("--key-file", identity.privateKey().toString(), "--cert-file", identity.certificate().toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void aTlsPortAloneMeansAppsConnectOverTlsOnly() {
        DrachtioServerConfig config = SipServerMain.configure(withKey("--tls-port", "9023"), Map.of());
        assertThat(config.adminTlsPort()).isEqualTo(OptionalInt.of(9023));
        assertThat(config.plainAdmin()).isFalse();
    }

    @Test
    void theRateLimitFlagsAndTheFilesSpammers() throws Exception {
        assertThat(SipServerMain.configure(new String[0], Map.of()).rateLimit()).isEmpty();
        assertThat(SipServerMain.configure(new String[] {"--rate-limit", "2.5"}, Map.of()).rateLimit())
                .contains(new RateLimit(2.5, 3, RefusalMode.REJECT));
        assertThat(SipServerMain.configure(new String[] {"--rate-limit", "100", "--rate-limit-burst", "400",
                "--rate-limit-action", "discard"}, Map.of()).rateLimit()).contains(new RateLimit(100, 400, RefusalMode.DISCARD));
        Path file = Files.writeString(dir.resolve("spammers.conf.xml"), "<drachtio><sip><spammers action='reject'>"
                + "<header name='User-Agent'><value>friendly-scanner</value></header></spammers></sip></drachtio>");
        SpammerRules rules = SipServerMain.configure(new String[] {"-f", file.toString()}, Map.of()).spammers();
        assertThat(rules.values()).containsOnlyKeys("User-Agent");
        assertThat(rules.datagramMode()).isEqualTo(RefusalMode.REJECT);
        assertThat(rules.streamMode()).isEqualTo(RefusalMode.DISCARD);
    }

    @Test
    void aTlsPortBesideAPortMeansBoth() {
        DrachtioServerConfig config = SipServerMain.configure(withKey("--port", "9032", "--tls-port", "9033"), Map.of());
        assertThat(config.adminAddress().getPort()).isEqualTo(9032);
        assertThat(config.adminTlsPort()).isEqualTo(OptionalInt.of(9033));
        assertThat(config.plainAdmin()).isTrue();
        assertThat(SipServerMain.configure(new String[0], Map.of()).adminTlsPort()).isEmpty();
    }

    @Test
    void aTlsPortNeedsTheKeyAndCertificate() {
        assertThatThrownBy(() -> SipServerMain.configure(new String[] {"--tls-port", "9023"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--key-file and --cert-file");
        assertThatThrownBy(() -> SipServerMain.configure(new String[] {"--tls-port"}, Map.of()))
                .hasMessage("--tls-port needs a value");
        assertThatThrownBy(() -> SipServerMain.configure(withKey("--min-tls-version", "2.0"), Map.of()))
                .hasMessageContaining("--min-tls-version takes 1.0, 1.1, 1.2 or 1.3");
    }

    @Test
    void clientCertificatesAreCheckedWhenAsked() throws Exception {
        Path ca = TestCertificates.authority(dir);
        TlsConfig required = SipServerMain.configure(withKey("--tls-verify-client", "require", "--tls-ca-file", ca.toString(),
                "--contact", "sip:127.0.0.1:5061;transport=tls"), Map.of()).sip().transport().tls().orElseThrow();
        assertThat(required.clientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRE);
        assertThat(required.trustedCertificates()).contains(ca);
        assertThat(SipServerMain.configure(withKey("--tls-verify-client", "optional"), Map.of()).sip().transport().tls()
                .orElseThrow().clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(SipServerMain.configure(withKey(), Map.of()).sip().transport().tls().orElseThrow().clientAuth())
                .isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThatThrownBy(() -> SipServerMain.configure(withKey("--tls-verify-client", "always"), Map.of()))
                .hasMessageContaining("--tls-verify-client takes none, optional or require");
    }

    @Test
    void minTlsVersionThirteenAllowsTlsThirteenOnly() {
        DrachtioServerConfig config = SipServerMain.configure(withKey("--min-tls-version", "1.3",
                "--contact", "sip:127.0.0.1:5061;transport=tls"), Map.of());
        assertThat(config.sip().transport().tls().orElseThrow().protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void theFileGivesTheAdminPortsTheContactsAndTheTlsFilesAndFlagsAndEnvironmentWin() throws Exception {
        Path file = Files.writeString(dir.resolve("drachtio.conf.xml"), """
                <drachtio>
                  <admin port="9042" tls-port="9043" secret="from-the-file">127.0.0.1</admin>
                  <sip>
                    <contacts><contact>sips:127.0.0.1:5071;transport=tls</contact></contacts>
                    <tls>
                      <key-file>%s</key-file>
                      <cert-file>%s</cert-file>
                    </tls>
                  </sip>
                </drachtio>
                """.formatted(identity.privateKey(), identity.certificate()));

        DrachtioServerConfig fromFile = SipServerMain.configure(new String[] {"--file", file.toString()}, Map.of());
        assertThat(fromFile.adminAddress().getPort()).isEqualTo(9042);
        assertThat(fromFile.adminTlsPort()).isEqualTo(OptionalInt.of(9043));
        assertThat(fromFile.plainAdmin()).isTrue();
        assertThat(fromFile.secret()).isEqualTo("from-the-file");
        assertThat(fromFile.sip().transport().listenPoints()).extracting(ListenPoint::transport).containsExactly(Transport.TLS);
        assertThat(fromFile.sip().transport().tls().orElseThrow().privateKey()).contains(identity.privateKey());

        DrachtioServerConfig environment = SipServerMain.configure(new String[] {"-f", file.toString()},
                Map.of("DRACHTIO_ADMIN_TLS_PORT", "9053", "DRACHTIO_SECRET", "from-the-environment"));
        assertThat(environment.adminTlsPort()).isEqualTo(OptionalInt.of(9053));
        assertThat(environment.secret()).isEqualTo("from-the-environment");

        DrachtioServerConfig flags = SipServerMain.configure(new String[] {"-f", file.toString(), "--tls-port", "9063",
                "--secret", "from-the-flag", "--contact", "sip:127.0.0.1:5072;transport=udp"},
                Map.of("DRACHTIO_ADMIN_TLS_PORT", "9053", "DRACHTIO_SECRET", "from-the-environment"));
        assertThat(flags.adminTlsPort()).isEqualTo(OptionalInt.of(9063));
        assertThat(flags.secret()).isEqualTo("from-the-flag");
        assertThat(flags.sip().transport().listenPoints()).extracting(ListenPoint::transport).containsExactly(Transport.UDP);
    }
}
