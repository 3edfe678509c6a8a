package org.switchboard.drachtio.server;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.stack.transport.TlsConfig;

/**
 * drachtio-server's TLS flags ({@code --key-file}, {@code --cert-file}, {@code --chain-file}, {@code --dh-param},
 * {@code --tls-cipherlist}, {@code --min-tls-version}) turned into the SIP stack's {@link TlsConfig}, which also serves the
 * TLS app port ({@code --tls-port}). Two flags are this server's own, as drachtio-server has no client-certificate
 * check: {@code --tls-verify-client none|optional|require} and {@code --tls-ca-file} (the CAs client certificates, and
 * the certificates of peers this server connects to over TLS, must chain to; the JDK's CAs without it).
 *
 * <p>The JDK's TLS provider takes no Diffie-Hellman parameter file (it negotiates ECDHE or the RFC 7919 groups), so
 * {@code --dh-param} is accepted for compatibility and not used. OpenSSL cipher lists are translated suite by suite;
 * OpenSSL's keywords and exclusions ({@code HIGH}, {@code !aNULL}) have no JDK counterpart and are refused.
 */
final class TlsFlags {

    private Path keyFile;
    private Path certFile;
    private Path chainFile;
    private String cipherList;
    private String minTlsVersion;
    private TlsConfig.ClientAuth verifyClient;
    private Path caFile;

    void keyFile(String path) {
        keyFile = Path.of(path);
    }

    void certFile(String path) {
        certFile = Path.of(path);
    }

    void chainFile(String path) {
        chainFile = Path.of(path);
    }

    /** {@code --tls-verify-client}: none (the default), optional or require. */
    void verifyClient(String mode) {
        verifyClient = switch (mode.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> TlsConfig.ClientAuth.NONE;
            case "optional" -> TlsConfig.ClientAuth.OPTIONAL;
            case "require" -> TlsConfig.ClientAuth.REQUIRE;
            default -> throw new IllegalArgumentException("--tls-verify-client takes none, optional or require, was '"
                    + mode + "'");
        };
    }

    void caFile(String path) {
        caFile = Path.of(path);
    }

    void cipherList(String list) {
        cipherList = list;
    }

    /**
     * drachtio-server's {@code --min-tls-version}: 1.0, 1.1 and 1.2 keep the defaults (TLS 1.2 and 1.3; the JDK
     * disables 1.0 and 1.1 itself), 1.3 allows TLS 1.3 only.
     */
    void minTlsVersion(String version) {
        minTlsVersion = version.strip();
    }

    private List<String> protocols() {
        return switch (minTlsVersion == null ? "1.2" : minTlsVersion) {
            case "1.0", "1", "1.1", "1.2" -> TlsConfig.DEFAULT_PROTOCOLS;
            case "1.3" -> List.of("TLSv1.3");
            default -> throw new IllegalArgumentException("--min-tls-version takes 1.0, 1.1, 1.2 or 1.3, was '"
                    + minTlsVersion + "'");
        };
    }

    /**
     * The TLS configuration the flags give; empty when none was given.
     *
     * @throws IllegalArgumentException naming the flag that is missing or wrong
     */
    Optional<TlsConfig> toConfig() {
        if (keyFile == null && certFile == null && chainFile == null && cipherList == null && verifyClient == null
                && caFile == null) {
            return Optional.empty();
        }
        if (keyFile == null || certFile == null) {
            throw new IllegalArgumentException("TLS needs both --key-file and --cert-file");
        }
        TlsConfig.Builder b = TlsConfig.builder().pem(certFile, keyFile).protocols(protocols());
        if (chainFile != null) {
            b.chain(chainFile);
        }
        if (cipherList != null) {
            b.ciphers(javaCipherNames(cipherList));
        }
        if (verifyClient != null) {
            b.clientAuth(verifyClient);
        }
        if (caFile != null) {
            b.trustedCertificates(caFile);
        }
        return Optional.of(b.build());
    }

    /** OpenSSL suite names (colon-separated) to the JDK's; IANA names pass as they are. */
    static List<String> javaCipherNames(String openSslList) {
        List<String> out = new ArrayList<>();
        for (String name : openSslList.split("[:, ]+")) {
            if (name.isEmpty()) {
                continue;
            }
            String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
            if (java == null) {
                throw new IllegalArgumentException("--tls-cipherlist: '" + name + "' is not a cipher suite the JDK knows"
                        + " (OpenSSL keywords such as HIGH or !aNULL are not supported; name the suites)");
            }
            out.add(java);
        }
        return out;
    }
}
