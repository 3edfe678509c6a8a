package org.switchboard.drachtio.client;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.Optional;
import org.switchboard.connection.ClientTls;

/**
 * TLS for the connection to a drachtio server's TLS app port (drachtio-server's {@code --tls-port}): which CAs to
 * trust and whether the server's certificate must name the host connected to (on by default, as Node's
 * {@code tls.connect} that drachtio-srf uses). Immutable; the checks are those of {@link ClientTls}.
 */
public final class DrachtioTls {

    private final ClientTls tls;

    private DrachtioTls(ClientTls tls) {
        this.tls = tls;
    }

    /** Trusts the JDK's default CAs. */
    public static DrachtioTls trustingDefaultCas() {
        return new DrachtioTls(ClientTls.trustingDefaultCas());
    }

    /**
     * Trusts only the CA certificates of a PEM file (a private CA, or the server's self-signed certificate).
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static DrachtioTls trusting(Path caCertificates) {
        return new DrachtioTls(ClientTls.trusting(caCertificates));
    }

    /** A copy that accepts a trusted certificate for any host name (for servers reached by an address not in it). */
    public DrachtioTls withoutHostnameCheck() {
        return new DrachtioTls(tls.withoutHostnameCheck());
    }

    /** The PEM CA certificates trusted; empty for the JDK's default CAs. */
    public Optional<Path> trustedCertificates() {
        return tls.trustedCertificates();
    }

    /** Whether the server's certificate must name the host connected to. */
    public boolean verifyHostname() {
        return tls.verifyHostname();
    }

    /** The client context; read once per client. */
    SslContext context() {
        return tls.context();
    }

    @Override
    public String toString() {
        return tls.toString();
    }
}
