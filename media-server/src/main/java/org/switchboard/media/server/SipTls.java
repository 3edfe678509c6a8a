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
 * sofia-sip reads it), {@code tls-passphrase} (the key's) and {@code tls-version} ({@code tlsv1.2},
 * {@code tlsv1.3}). The listener binds the SIP address's host.
 *
 * @param port the TLS port, 0 for any free one
 * @param certDir the folder holding {@code agent.pem}
 * @param passphrase the private key's passphrase, if it is encrypted
 * @param versions the TLS versions accepted, as sofia names them
 */
public record SipTls(int port, Path certDir, Optional<String> passphrase, List<String> versions) {

    /** sofia's default TLS port. */
    public static final int DEFAULT_PORT = 5061;
    /** The file sofia-sip reads the key and certificate from, in {@link #certDir()}. */
    public static final String AGENT_PEM = "agent.pem";
    /** The versions accepted when none are named. */
    public static final List<String> DEFAULT_VERSIONS = List.of("tlsv1.2", "tlsv1.3");

    /** Checks the values; the certificate file must be readable. */
    public SipTls {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tls-sip-port must be 0 (auto) to 65535, was " + port);
        }
        Objects.requireNonNull(certDir, "certDir");
        Objects.requireNonNull(passphrase, "passphrase");
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("tls-version names no version");
        }
        for (String v : versions) {
            protocol(v);
        }
        Path agent = certDir.resolve(AGENT_PEM);
        if (!Files.isReadable(agent)) {
            throw new IllegalArgumentException("tls-cert-dir " + certDir + " has no readable " + AGENT_PEM
                    + " (the private key and certificate chain in one PEM file)");
        }
    }

    /** The settings with sofia's defaults: port 5061, TLS 1.2 and 1.3, an unencrypted key. */
    public static SipTls of(Path certDir) {
        return new SipTls(DEFAULT_PORT, certDir, Optional.empty(), DEFAULT_VERSIONS);
    }

    /** {@code tls-version}'s comma-separated list ({@code tlsv1.2,tlsv1.3}). */
    public static List<String> parseVersions(String list) {
        return List.of(list.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }

    /** sip-stack's TLS settings for the listener: the identity from {@code agent.pem}, no client certificates. */
    public TlsConfig tlsConfig() {
        Path agent = certDir.resolve(AGENT_PEM);
        TlsConfig.Builder b = TlsConfig.builder().pem(agent, agent)
                .protocols(versions.stream().map(SipTls::protocol).toList());
        passphrase.ifPresent(b::keyPassword);
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
