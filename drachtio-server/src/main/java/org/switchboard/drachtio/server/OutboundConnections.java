package org.switchboard.drachtio.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.switchboard.drachtio.wire.DrachtioFrameDecoder;
import org.switchboard.drachtio.wire.DrachtioFrameEncoder;

/**
 * Outbound mode (docs/drachtio.md): connections the server opens to apps that listen, one per request an HTTP routing
 * decision sends there, over TCP or TLS. Connecting runs on the server's event loop group; the returned future
 * completes there once the app authenticated. Holds no mutable state.
 */
final class OutboundConnections implements AppConnector {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final EventLoopGroup group;
    private final ServerCore core;
    private final String secret;

    OutboundConnections(EventLoopGroup group, ServerCore core, String secret) {
        this.group = group;
        this.core = core;
        this.secret = secret;
    }

    @Override
    public CompletableFuture<AppConnection> connect(String host, int port, boolean tls) {
        CompletableFuture<AppConnection> authenticated = new CompletableFuture<>();
        SslContext ssl;
        try {
            // drachtio-server does not verify the app's certificate either (docs/drachtio.md)
            ssl = tls ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
        } catch (SSLException e) {
            authenticated.completeExceptionally(e);
            return authenticated;
        }
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new DrachtioFrameDecoder(), new DrachtioFrameEncoder(Integer.MAX_VALUE),
                                new AppConnection(core, secret, authenticated));
                    }
                })
                .connect(host, port)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        authenticated.completeExceptionally(f.cause());
                    }
                });
        return authenticated;
    }
}
