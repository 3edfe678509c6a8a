package org.switchboard.connection;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A listening TCP socket whose accepted connections (TCP_NODELAY, keep-alive) are set up by one callback, run on
 * the connection's event loop before it reads anything. Either served by an event loop group of the caller, or by
 * one of its own that {@link #close} shuts down, closing every accepted connection with it.
 */
public final class TcpListener implements AutoCloseable {

    private final Channel listening;
    private final EventLoopGroup ownGroup;

    private TcpListener(Channel listening, EventLoopGroup ownGroup) {
        this.listening = listening;
        this.ownGroup = ownGroup;
    }

    /**
     * Listens at {@code address}, with connections served by {@code group} (which stays the caller's). Blocks
     * until bound.
     *
     * @param setUp adds the connection's handlers (called on its event loop, for each accepted connection)
     * @throws IOException when the address cannot be bound
     */
    public static TcpListener bind(EventLoopGroup group, InetSocketAddress address, Consumer<SocketChannel> setUp)
            throws IOException {
        return new TcpListener(listen(group, address, setUp), null);
    }

    /** As {@link #bind(EventLoopGroup, InetSocketAddress, Consumer)}, on an event loop group of its own. */
    public static TcpListener bind(InetSocketAddress address, Consumer<SocketChannel> setUp) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        try {
            return new TcpListener(listen(group, address, setUp), group);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel listen(EventLoopGroup group, InetSocketAddress address, Consumer<SocketChannel> setUp)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(setUp, "setUp");
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        setUp.accept(ch);
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io
                    : new IOException("cannot listen on " + address + ": " + cause.getMessage(), cause);
        }
        return bound.channel();
    }

    /** The bound address (with the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    /** Stops listening; with an event loop group of its own, also closes every accepted connection. */
    @Override
    public void close() {
        listening.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
