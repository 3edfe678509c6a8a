package org.switchboard.drachtio.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS for the connection to a drachtio server's TLS app port (drachtio-server's {@code --tls-port}): which CAs to
 * trust and whether the server's certificate must name the host connected to (on by default, as Node's
 * {@code tls.connect} that drachtio-srf uses). Immutable; the JDK's TLS provider does the work.
 */
public final class DrachtioTls {

    private final Optional<Path> trustedCertificates;
    private final boolean verifyHostname;

    private DrachtioTls(Optional<Path> trustedCertificates, boolean verifyHostname) {
        this.trustedCertificates = trustedCertificates;
        this.verifyHostname = verifyHostname;
    }

    /** Trusts the JDK's default CAs. */
    public static DrachtioTls trustingDefaultCas() {
        return new DrachtioTls(Optional.empty(), true);
    }

    /**
     * Trusts only the CA certificates of a PEM file (a private CA, or the server's self-signed certificate).
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static DrachtioTls trusting(Path caCertificates) {
        Objects.requireNonNull(caCertificates, "caCertificates");
        if (!Files.isReadable(caCertificates)) {
            throw new IllegalArgumentException("the drachtio TLS CA file " + caCertificates + " is not readable");
        }
        return new DrachtioTls(Optional.of(caCertificates), true);
    }

    /** A copy that accepts a trusted certificate for any host name (for servers reached by an address not in it). */
    public DrachtioTls withoutHostnameCheck() {
        return new DrachtioTls(trustedCertificates, false);
    }

    /** The PEM CA certificates trusted; empty for the JDK's default CAs. */
    public Optional<Path> trustedCertificates() {
        return trustedCertificates;
    }

    /** Whether the server's certificate must name the host connected to. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The client context; read once per client. */
    SslContext context() {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        trustedCertificates.ifPresent(pem -> b.trustManager(pem.toFile()));
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the drachtio TLS CA file " + trustedCertificates.orElse(null)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The innermost reason of a failed handshake, which names the certificate problem. */
    static String describe(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
    }

    @Override
    public String toString() {
        return "tls(" + trustedCertificates.map(Path::toString).orElse("default CAs")
                + (verifyHostname ? "" : ", any host name") + ")";
    }
}
