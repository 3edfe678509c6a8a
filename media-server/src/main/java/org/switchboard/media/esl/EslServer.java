package org.switchboard.media.esl;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.media.core.Core;

/** The inbound event socket listener ({@code listen-ip:listen-port}, password). */
public final class EslServer implements AutoCloseable {

    private final Channel server;

    private EslServer(Channel server) {
        this.server = server;
    }

    /**
     * Listens at {@code address}. Blocks while binding.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static EslServer start(EventLoopGroup group, InetSocketAddress address, Core core, Api api,
                                  Executor background, String password) {
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new EslFrameDecoder(64 * 1024, EslFrameDecoder.DEFAULT_MAX_BODY_BYTES),
                                EslConnection.inbound(core, api, background, password));
                    }
                }).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen for the event socket on " + address, bound.cause());
        }
        return new EslServer(bound.channel());
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }
}
