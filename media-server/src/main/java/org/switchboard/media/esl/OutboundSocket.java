package org.switchboard.media.esl;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.media.core.Application;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;

/**
 * The {@code socket} application: {@code <host>[:<port>][|<host2>:<port2>...] [async] [full]}. Connects to the
 * controller (hosts in order, default port 8084), waits for its {@code connect}, then parks the channel, running
 * what the controller sends, until the controller closes or the channel hangs up. Always "async full" (what
 * drachtio-fsmrf needs).
 */
public final class OutboundSocket implements Application {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundSocket.class);
    private static final int DEFAULT_PORT = 8084;

    private final EventLoopGroup group;
    private final Core core;
    private final Api api;
    private final Executor background;
    private final Duration connectTimeout;
    private final Duration firstCommandTimeout;

    /**
     * The application.
     *
     * @param connectTimeout how long a TCP connect may take
     * @param firstCommandTimeout how long to wait for {@code connect} (FreeSWITCH: 25 s)
     */
    public OutboundSocket(EventLoopGroup group, Core core, Api api, Executor background, Duration connectTimeout,
                          Duration firstCommandTimeout) {
        this.group = group;
        this.core = core;
        this.api = api;
        this.background = background;
        this.connectTimeout = connectTimeout;
        this.firstCommandTimeout = firstCommandTimeout;
    }

    @Override
    public String run(Channel channel, String argument) throws InterruptedException {
        String targets = argument.strip().split("\\s+")[0];
        for (String target : targets.split("\\|")) {
            InetSocketAddress address;
            try {
                address = parse(target);
            } catch (IllegalArgumentException e) {
                LOG.info("MS-SOCK-001 {}: bad socket address '{}'", channel.uuid(), target);
                continue;
            }
            EslConnection connection = EslConnection.outbound(core, api, background, channel);
            ChannelFuture connecting = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new EslFrameDecoder(EslConnection.MAX_HEADER_BYTES, EslFrameDecoder.DEFAULT_MAX_BODY_BYTES),
                                    connection);
                        }
                    }).connect(address);
            if (!connecting.await(connectTimeout.toMillis() + 1000) || !connecting.isSuccess()) {
                LOG.info("MS-SOCK-002 {}: cannot connect the event socket to {}: {}", channel.uuid(), address,
                        connecting.cause() == null ? "timed out" : connecting.cause().getMessage());
                connecting.channel().close();
                continue;
            }
            channel.set("socket_host", address.getHostString());
            try {
                connection.connected().get(firstCommandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.info("MS-SOCK-003 {}: no connect from the controller at {} within {} ms", channel.uuid(), address,
                        firstCommandTimeout.toMillis());
                connecting.channel().close();
                return "_none_";
            }
            channel.fire("CHANNEL_PARK", "switch_ivr.c", "switch_ivr_park", java.util.Map.of());
            channel.park(() -> connection.closed().isDone());
            if (!channel.isHungUp()) {
                channel.fire("CHANNEL_UNPARK", "switch_ivr.c", "switch_ivr_park", java.util.Map.of());
            }
            return "_none_";
        }
        return "_none_";
    }

    private static InetSocketAddress parse(String target) {
        String hostPort = target.split("/", 2)[0];
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(hostPort, DEFAULT_PORT);
        }
        return new InetSocketAddress(hostPort.substring(0, colon).replaceAll("[\\[\\]]", ""),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
