package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.stack.codec.SipMessageEncoder;
import org.switchboard.sip.stack.codec.SipStreamDecoder;

/**
 * Builds the pipeline of a connection-oriented transport: TLS (for TLS and WSS) below the SIP framing, the idle
 * timeout, and the {@link InboundHandler} on top.
 */
final class StreamPipeline {

    private final TransportLayer layer;
    private final TransportConfig config;
    private final TlsContexts tls;

    StreamPipeline(TransportLayer layer, TransportConfig config, TlsContexts tls) {
        this.layer = layer;
        this.config = config;
        this.tls = tls;
    }

    /** The initializer of connections accepted on a listen point of {@code transport}. */
    ChannelInitializer<SocketChannel> server(Transport transport) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (transport.isSecure()) {
                    SslHandler ssl = tls.server().orElseThrow().newHandler(ch.alloc());
                    ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
                    ch.pipeline().addLast(ssl);
                }
                framing(ch.pipeline(), transport);
                ch.pipeline().addLast(new InboundHandler(layer, transport, null));
            }
        };
    }

    /**
     * The initializer of an outbound connection to {@code destination}; {@code ready} completes with the channel
     * once it can carry SIP (after the TLS handshake, for TLS), or fails with why not.
     */
    ChannelInitializer<SocketChannel> client(Destination destination, CompletableFuture<Channel> ready) {
        Transport transport = destination.transport();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (transport.isSecure()) {
                    if (tls == null) {
                        throw new IllegalStateException("no TLS configuration for outbound " + transport);
                    }
                    // the host string is the name the certificate must match and the SNI name (none for an IP)
                    SslHandler ssl = tls.client().newHandler(ch.alloc(), destination.address().getHostString(),
                            destination.address().getPort());
                    ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
                    ch.pipeline().addLast(ssl);
                }
                framing(ch.pipeline(), transport);
                ch.pipeline().addLast(new InboundHandler(layer, transport, ready));
            }
        };
    }

    private void framing(ChannelPipeline p, Transport transport) {
        p.addLast(new IdleStateHandler(0, 0, config.tcpIdleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new SipStreamDecoder(config.limits()),
                SipMessageEncoder.INSTANCE);
    }
}
