package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.stack.codec.SipMessageEncoder;
import org.switchboard.sip.stack.codec.SipStreamDecoder;
import org.switchboard.sip.stack.codec.SipWebSocketCodec;

/**
 * Builds the pipeline of a connection-oriented transport: TLS (for TLS and WSS) at the bottom, then the SIP framing
 * (Content-Length on a byte stream for TCP and TLS; the WebSocket upgrade and one message per WebSocket message for
 * WS and WSS), the idle handling, and the {@link InboundHandler} on top.
 */
final class StreamPipeline {

    // the HTTP upgrade request and response are small; anything bigger is not a SIP WebSocket client
    private static final int HTTP_UPGRADE_MAX_BYTES = 8192;
    // how many ping intervals without anything from the peer (not even a pong) before the connection is closed
    private static final int MISSED_PINGS = 3;

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
                    ch.pipeline().addLast(tls.server().orElseThrow().newHandler(ch.alloc(), config.connectTimeout()));
                }
                if (transport.isWebSocket()) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(HTTP_UPGRADE_MAX_BYTES),
                            new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath(config.webSocketPath())
                                    .subprotocols(SipWebSocketCodec.SUBPROTOCOL)
                                    .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                                    .maxFramePayloadLength(config.limits().maxMessageBytes())
                                    .build()));
                }
                framing(ch.pipeline(), transport);
                ch.pipeline().addLast(new InboundHandler(layer, transport, null));
            }
        };
    }

    /**
     * The initializer of an outbound connection to {@code destination}; {@code ready} completes with the channel
     * once it can carry SIP (after the TLS handshake and the WebSocket upgrade, where there are), or fails with why not.
     */
    ChannelInitializer<SocketChannel> client(Destination destination, CompletableFuture<Channel> ready) {
        Transport transport = destination.transport();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (transport.isSecure()) { // TransportLayer.send refuses secure destinations without a TLS configuration
                    // the host string is the name the certificate must match and the SNI name (none for an IP)
                    SslHandler ssl = tls.client().newHandler(ch.alloc(), destination.address().getHostString(),
                            destination.address().getPort());
                    ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
                    ch.pipeline().addLast(ssl);
                }
                if (transport.isWebSocket()) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(HTTP_UPGRADE_MAX_BYTES),
                            new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                    .webSocketUri(webSocketUri(destination))
                                    .subprotocol(SipWebSocketCodec.SUBPROTOCOL)
                                    .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                                    .maxFramePayloadLength(config.limits().maxMessageBytes())
                                    .build()));
                }
                framing(ch.pipeline(), transport);
                ch.pipeline().addLast(new InboundHandler(layer, transport, ready));
            }
        };
    }

    private void framing(ChannelPipeline p, Transport transport) {
        if (transport.isWebSocket()) {
            // a WebSocket client may only be reachable over its connection: keep it up with pings rather than
            // closing it when idle, and close it only when the peer stops answering them
            long ping = config.webSocketPingInterval().toMillis();
            p.addLast(new WebSocketFrameAggregator(config.limits().maxMessageBytes()),
                    new IdleStateHandler(ping * MISSED_PINGS, ping, 0, TimeUnit.MILLISECONDS),
                    new SipWebSocketCodec());
        } else {
            p.addLast(new IdleStateHandler(0, 0, config.tcpIdleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                    new SipStreamDecoder(config.limits()),
                    SipMessageEncoder.INSTANCE);
        }
    }

    private URI webSocketUri(Destination destination) {
        String host = destination.address().getHostString();
        host = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create((destination.transport().isSecure() ? "wss://" : "ws://") + host + ":"
                + destination.address().getPort() + config.webSocketPath());
    }
}
