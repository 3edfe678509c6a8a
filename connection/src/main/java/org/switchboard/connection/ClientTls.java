package org.switchboard.connection;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS on an outbound client connection: which CAs to trust (a PEM file, or the JDK's) and whether the peer's
 * certificate must name the host connected to (on by default). Immutable; the JDK's TLS provider does the work.
 */
public final class ClientTls {

    private final Optional<Path> trustedCertificates;
    private final boolean verifyHostname;

    private ClientTls(Optional<Path> trustedCertificates, boolean verifyHostname) {
        this.trustedCertificates = trustedCertificates;
        this.verifyHostname = verifyHostname;
    }

    /** Trusts the JDK's default CAs. */
    public static ClientTls trustingDefaultCas() {
        return new ClientTls(Optional.empty(), true);
    }

    /**
     * Trusts only the CA certificates of a PEM file (a private CA, or the peer's self-signed certificate).
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static ClientTls trusting(Path caCertificates) {
        Objects.requireNonNull(caCertificates, "caCertificates");
        if (!Files.isReadable(caCertificates)) {
            throw new IllegalArgumentException("the TLS CA file " + caCertificates + " is not readable");
        }
        return new ClientTls(Optional.of(caCertificates), true);
    }

    /** A copy that accepts a trusted certificate for any host name (for peers reached by an address not in it). */
    public ClientTls withoutHostnameCheck() {
        return new ClientTls(trustedCertificates, false);
    }

    /** The PEM CA certificates trusted; empty for the JDK's default CAs. */
    public Optional<Path> trustedCertificates() {
        return trustedCertificates;
    }

    /** Whether the peer's certificate must name the host connected to. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * The client context; build it once per client, not per connection.
     *
     * @throws IllegalArgumentException when the CA file holds no usable certificate
     */
    public SslContext context() {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        trustedCertificates.ifPresent(pem -> b.trustManager(pem.toFile()));
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the TLS CA file " + trustedCertificates.orElse(null)
                    + ": " + e.getMessage(), e);
        }
    }

    /** A handler for one connection to {@code host} (the name checked and sent as SNI), its handshake bounded. */
    public static SslHandler handler(SslContext context, ByteBufAllocator alloc, String host, int port, Duration handshakeTimeout) {
        SslHandler ssl = context.newHandler(alloc, host, port);
        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return ssl;
    }

    /**
     * Why the TLS handshake on {@code channel} failed, or empty when it succeeded, has not ended or the channel has no
     * TLS. A failed handshake closes the connection, and the close can reach a client before the handshake's own
     * listener does (Netty defers deep listener notifications), so a client that sees its connection close asks this.
     */
    public static Optional<Throwable> handshakeFailure(Channel channel) {
        SslHandler ssl = channel == null ? null : channel.pipeline().get(SslHandler.class);
        return ssl != null && ssl.handshakeFuture().isDone() ? Optional.ofNullable(ssl.handshakeFuture().cause())
                : Optional.empty();
    }

    /** The innermost reason of a failed handshake, which names the certificate problem. */
    public static String describe(Throwable failure) {
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
