package org.switchboard.media.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.stack.transport.TlsConfig;

/**
 * The SIP profile's TLS listener, set as FreeSWITCH's sofia profile parameters set it: {@code tls} (on when this is
 * configured), {@code tls-sip-port} (default 5061, sofia's; 0 for any free port, sofia's {@code auto}),
 * {@code tls-cert-dir} (holding {@code agent.pem}: the private key and the certificate chain in one PEM file, as
 * sofia-sip reads it, and {@code cafile.pem}: the CA certificates peers' certificates must chain to),
 * {@code tls-passphrase} (the key's), {@code tls-version} ({@code tlsv1.2}, {@code tlsv1.3}), {@code tls-only} (no
 * UDP listener: SIP over TLS only), {@code tls-verify-policy} ({@link TlsVerifyPolicy}), {@code tls-verify-depth}
 * (the most intermediate CA certificates between a peer's certificate and {@code cafile.pem}'s, default 2 as
 * sofia-sip's) and {@code tls-verify-in-subjects} (the names a client certificate must hold one of under
 * {@code subjects_in}). The listener binds the SIP address's host.
 *
 * <p>The server certificate of a TLS connection this server opens (an in-dialog request to a TLS peer whose
 * connection has closed) is always checked, with its host name: against {@code cafile.pem} when the folder has one,
 * else the JDK's CAs. That is stricter than sofia's {@code none}, which checks nothing outgoing.
 *
 * @param port the TLS port, 0 for any free one
 * @param certDir the folder holding {@code agent.pem} (and {@code cafile.pem} when certificates are checked)
 * @param passphrase the private key's passphrase, if it is encrypted
 * @param versions the TLS versions accepted, as sofia names them
 * @param tlsOnly whether the profile listens on TLS only (no UDP listener)
 * @param verifyPolicy which peers' certificates are checked
 * @param verifyDepth the most intermediate CA certificates in a checked peer's chain (1 or more)
 * @param verifyInSubjects under {@code subjects_in}, the names a client certificate must hold one of (its
 *     subjectAltName DNS, IP or URI entries, or its subject's common name; {@code sip:} URIs compare by their host
 *     part); empty: any trusted certificate
 */
public record SipTls(int port, Path certDir, Optional<String> passphrase, List<String> versions, boolean tlsOnly,
        TlsVerifyPolicy verifyPolicy, int verifyDepth, List<String> verifyInSubjects) {

    /** sofia's default TLS port. */
    public static final int DEFAULT_PORT = 5061;
    /** The file sofia-sip reads the key and certificate from, in {@link #certDir()}. */
    public static final String AGENT_PEM = "agent.pem";
    /** The file sofia-sip reads the CA certificates peers' certificates are checked against, in {@link #certDir()}. */
    public static final String CAFILE_PEM = "cafile.pem";
    /** The versions accepted when none are named. */
    public static final List<String> DEFAULT_VERSIONS = List.of("tlsv1.2", "tlsv1.3");
    /** sofia-sip's default {@code tls-verify-depth}. */
    public static final int DEFAULT_VERIFY_DEPTH = 2;

    /** Checks the values; the certificate file, and the CA file when certificates are checked, must be readable. */
    public SipTls {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tls-sip-port must be 0 (auto) to 65535, was " + port);
        }
        Objects.requireNonNull(certDir, "certDir");
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(verifyPolicy, "verifyPolicy");
        versions = List.copyOf(versions);
        verifyInSubjects = List.copyOf(verifyInSubjects);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("tls-version names no version");
        }
        for (String v : versions) {
            protocol(v);
        }
        if (verifyDepth < 1) {
            throw new IllegalArgumentException("tls-verify-depth must be 1 or more, was " + verifyDepth
                    + " (the most intermediate CA certificates between a peer's certificate and a trusted CA)");
        }
        if (!verifyInSubjects.isEmpty() && !verifyPolicy.subjectsIn()) {
            throw new IllegalArgumentException("tls-verify-in-subjects is read only with tls-verify-policy subjects_in"
                    + " or subjects_all, not " + verifyPolicy);
        }
        Path agent = certDir.resolve(AGENT_PEM);
        if (!Files.isReadable(agent)) {
            throw new IllegalArgumentException("tls-cert-dir " + certDir + " has no readable " + AGENT_PEM
                    + " (the private key and certificate chain in one PEM file)");
        }
        if (verifyPolicy.verifies() && !Files.isReadable(certDir.resolve(CAFILE_PEM))) {
            throw new IllegalArgumentException("tls-verify-policy " + verifyPolicy + " needs tls-cert-dir " + certDir
                    + " to hold a readable " + CAFILE_PEM + " (the CA certificates peers' certificates must chain to)");
        }
    }

    /** A listener beside UDP that checks no client certificate, as sofia's profile does by default. */
    public SipTls(int port, Path certDir, Optional<String> passphrase, List<String> versions) {
        this(port, certDir, passphrase, versions, false, TlsVerifyPolicy.NONE, DEFAULT_VERIFY_DEPTH, List.of());
    }

    /** The settings with sofia's defaults: port 5061, TLS 1.2 and 1.3, an unencrypted key, beside UDP, no checks. */
    public static SipTls of(Path certDir) {
        return new SipTls(DEFAULT_PORT, certDir, Optional.empty(), DEFAULT_VERSIONS);
    }

    /** These settings with sofia's {@code tls-only}: when true, the profile has no UDP listener. */
    public SipTls withTlsOnly(boolean only) {
        return new SipTls(port, certDir, passphrase, versions, only, verifyPolicy, verifyDepth, verifyInSubjects);
    }

    /** These settings with sofia's {@code tls-verify-policy}, {@code tls-verify-depth} and {@code tls-verify-in-subjects}. */
    public SipTls withVerification(TlsVerifyPolicy policy, int depth, List<String> inSubjects) {
        return new SipTls(port, certDir, passphrase, versions, tlsOnly, policy, depth, inSubjects);
    }

    /** {@code tls-version}'s comma-separated list ({@code tlsv1.2,tlsv1.3}). */
    public static List<String> parseVersions(String list) {
        return List.of(list.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    /** {@code tls-verify-in-subjects}' {@code |}-separated list, as sofia splits it. */
    public static List<String> parseSubjects(String list) {
        return java.util.Arrays.stream(list.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * sip-stack's TLS settings for the listener: the identity from {@code agent.pem}; {@code cafile.pem}, when there
     * is one, the CAs peers are checked against; client certificates required under {@code in}.
     */
    public TlsConfig tlsConfig() {
        Path agent = certDir.resolve(AGENT_PEM);
        TlsConfig.Builder b = TlsConfig.builder().pem(agent, agent)
                .protocols(versions.stream().map(SipTls::protocol).toList());
        passphrase.ifPresent(b::keyPassword);
        Path ca = certDir.resolve(CAFILE_PEM);
        if (Files.isReadable(ca)) {
            b.trustedCertificates(ca).verifyDepth(verifyDepth);
        }
        if (verifyPolicy.incoming()) {
            b.clientAuth(TlsConfig.ClientAuth.REQUIRE).acceptedClientNames(verifyInSubjects);
        }
        return b.build();
    }

    private static String protocol(String sofiaName) {
        return switch (sofiaName) {
            case "tlsv1.2" -> "TLSv1.2";
            case "tlsv1.3" -> "TLSv1.3";
            default -> throw new IllegalArgumentException("tls-version '" + sofiaName
                    + "' is not accepted here (tlsv1.2 and tlsv1.3 are; the JDK refuses the older ones)");
        };
    }
}
