package org.switchboard.esl;

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
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.switchboard.esl.codec.EslFrameDecoder;

/**
 * Listens for outbound event socket connections: the switch connects once per call that runs the
 * {@code socket} application. Each connection becomes an {@link OutboundSession} that has already sent
 * {@code connect} and received the channel data; it is handed to the session handler off the I/O threads.
 */
public final class EslOutboundServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private final Channel listening;

    private EslOutboundServer(InetSocketAddress address, EslClientConfig limits,
                              Function<OutboundSession, EslListener> listeners, Consumer<OutboundSession> onSession) {
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ListenerSlot slot = new ListenerSlot();
                        OutboundSession session = new OutboundSession(String.valueOf(ch.remoteAddress()), limits.commandTimeout(),
                                limits.jobTimeout(), limits.eventQueue(), limits.slowConsumerPolicy(), slot);
                        slot.target = listeners.apply(session);
                        session.channel = ch;
                        ch.pipeline().addLast(new EslFrameDecoder(), session.new Handler());
                        ch.eventLoop().execute(() -> session.start().whenComplete((s, e) -> {
                            if (e == null) {
                                onSession.accept(s);
                            } else {
                                EslSession.LOG.warn("outbound connection from {} failed before connect: {}", ch.remoteAddress(), e.getMessage());
                                s.close();
                            }
                        }));
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new EslException.ConnectionClosed("cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
        }
        listening = bound.channel();
    }

    /** Forwards events to the listener chosen for the session, once it is known. */
    private static final class ListenerSlot implements EslListener {
        volatile EslListener target;

        @Override
        public void onEvent(org.switchboard.esl.event.EslEvent event) {
            target.onEvent(event);
        }

        @Override
        public void onDisconnect(String reason) {
            target.onDisconnect(reason);
        }
    }

    /**
     * Starts listening. Blocks until bound.
     *
     * @param address where the switch connects ({@code socket <host>:<port> async full})
     * @param limits deadlines and event queue of every session (host, port and password are not used)
     * @param listeners the event listener for each new session
     * @param onSession called with each session once {@code connect} has been answered
     */
    public static EslOutboundServer start(InetSocketAddress address, EslClientConfig limits,
                                          Function<OutboundSession, EslListener> listeners, Consumer<OutboundSession> onSession) {
        return new EslOutboundServer(Objects.requireNonNull(address, "address"), limits, listeners, onSession);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    /** Stops listening and closes every session's connection. */
    @Override
    public void close() {
        listening.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
