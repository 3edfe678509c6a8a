package org.switchboard.sip.stack.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The server side of a {@link TlsConfig}: the TLS handler for each accepted connection, serving the certificate of
 * the host name the client asks for by SNI when the configuration has {@linkplain TlsConfig#sniIdentities() one
 * for it}, the default identity otherwise. The SIP listen points use it, and so can other listeners that take the
 * same identity (the embedded drachtio server's app port over TLS). Immutable; the key material is read once, by
 * {@link #of}.
 */
public final class TlsAcceptor {

    private final SslContext defaultContext;
    private final Set<String> names;
    private final Mapping<String, SslContext> byName;

    TlsAcceptor(SslContext defaultContext, Map<String, SslContext> byName) {
        this.defaultContext = defaultContext;
        this.names = Set.copyOf(byName.keySet());
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(defaultContext);
        byName.forEach(mapping::add);
        this.byName = mapping.build();
    }

    /**
     * Loads the identities of {@code config}.
     *
     * @throws IllegalArgumentException when the configuration has no local identity
     * @throws TransportException naming the file that could not be read
     */
    public static TlsAcceptor of(TlsConfig config) {
        if (!config.hasIdentity()) {
            throw new IllegalArgumentException("a TLS server needs a local identity (TlsConfig pem or keyStore)");
        }
        try {
            return TlsContexts.acceptor(config);
        } catch (IOException | IllegalArgumentException e) {
            throw new TransportException("cannot load the TLS key material: " + e.getMessage(), e);
        }
    }

    /**
     * The handler to put first in an accepted connection's pipeline: an {@link SslHandler}, or, when there are SNI
     * identities, a handler that reads the client's hello and replaces itself with the {@link SslHandler} of the
     * identity it names. Either fires the usual handshake completion event, failing after {@code handshakeTimeout}.
     */
    public ChannelHandler newHandler(ByteBufAllocator alloc, Duration handshakeTimeout) {
        if (names.isEmpty()) {
            SslHandler ssl = defaultContext.newHandler(alloc);
            ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
            return ssl;
        }
        return new SniHandler(byName, handshakeTimeout.toMillis());
    }

    /** One line saying what an operator has to fix about a failed handshake (expired, untrusted, wrong host, ...). */
    public static String describeFailure(Throwable handshakeFailure) {
        return TlsFailures.describe(handshakeFailure);
    }
}
