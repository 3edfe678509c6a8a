package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.tls.TestCertificates;

/** The checks the JDK's trust manager lacks: a chain's depth and the names a client certificate must hold. */
class PeerTrustTest {

    @TempDir
    static Path dir;
    static Path ca;
    static X509Certificate[] direct;
    static X509Certificate[] intermediate;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.authority(dir);
        direct = chain(TestCertificates.localhost(dir, "phone").certificate());
        intermediate = chain(TestCertificates.throughIntermediate(dir, "far").certificate());
    }

    private static X509Certificate[] chain(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(X509Certificate[]::new);
        }
    }

    private static X509ExtendedTrustManager trust(TlsConfig.Builder config) throws Exception {
        return (X509ExtendedTrustManager) PeerTrust.of(config.trustedCertificates(ca).build(), null);
    }

    @Test
    void theDepthCountsTheIntermediateCas() throws Exception {
        X509ExtendedTrustManager none = trust(TlsConfig.builder().verifyDepth(0));
        X509ExtendedTrustManager one = trust(TlsConfig.builder().verifyDepth(1));

        assertThatCode(() -> none.checkClientTrusted(direct, "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> none.checkClientTrusted(intermediate, "EC")).isInstanceOf(CertificateException.class);
        assertThatCode(() -> one.checkClientTrusted(intermediate, "EC")).doesNotThrowAnyException();
        assertThatCode(() -> one.checkServerTrusted(intermediate, "ECDHE_ECDSA")).doesNotThrowAnyException();
    }

    @Test
    void aClientCertificateMustHoldAnAcceptedName() throws Exception {
        X509ExtendedTrustManager byName = trust(TlsConfig.builder().clientAuth(TlsConfig.ClientAuth.REQUIRE)
                .acceptedClientNames(List.of("sip:PHONE", "gateway.example.com")));
        X509ExtendedTrustManager byAddress = trust(TlsConfig.builder().clientAuth(TlsConfig.ClientAuth.REQUIRE)
                .acceptedClientNames(List.of("::1")));
        X509ExtendedTrustManager other = trust(TlsConfig.builder().clientAuth(TlsConfig.ClientAuth.REQUIRE)
                .acceptedClientNames(List.of("gateway.example.com")));

        assertThatCode(() -> byName.checkClientTrusted(direct, "EC")).doesNotThrowAnyException();
        assertThatCode(() -> byAddress.checkClientTrusted(direct, "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> other.checkClientTrusted(direct, "EC")).isInstanceOf(CertificateException.class)
                .hasMessage("client certificate names none of the accepted subjects [gateway.example.com] (it names"
                        + " [127.0.0.1, 0:0:0:0:0:0:0:1, localhost, phone])");
        // a trusted CA is still needed: a stranger naming an accepted subject is refused by the JDK's checks
        X509Certificate[] stranger = chain(TestCertificates.selfSigned(dir, "phone-too").certificate());
        assertThatThrownBy(() -> byAddress.checkClientTrusted(stranger, "EC")).isInstanceOf(CertificateException.class);
    }

    @Test
    void namesCompareWithoutCaseSchemeOrAddressSpelling() {
        assertThat(PeerTrust.normalName("SIPS:Host.Example.COM")).isEqualTo("host.example.com");
        assertThat(PeerTrust.normalName("sip:[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(PeerTrust.normalName(" 127.0.0.1 ")).isEqualTo("127.0.0.1");
        assertThat(PeerTrust.normalName("sip:alice@example.com")).isEqualTo("alice@example.com");
    }

    @Test
    void theChecksNeedWhatTheyCheckAgainst() {
        assertThatThrownBy(() -> TlsConfig.builder().verifyDepth(1).build())
                .hasMessageContaining("verifyDepth needs the trusted CAs");
        assertThatThrownBy(() -> TlsConfig.builder().trustedCertificates(ca).acceptedClientNames(List.of("a")).build())
                .hasMessageContaining("acceptedClientNames needs clientAuth REQUIRE and trusted CAs");
    }
}
