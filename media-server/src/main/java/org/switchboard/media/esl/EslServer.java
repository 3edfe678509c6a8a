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
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.media.core.Core;

/** The inbound event socket listener ({@code listen-ip:listen-port}, password, inbound ACL). */
public final class EslServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EslServer.class);

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
                                  Executor background, String password, Acl acl) {
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!acl.allows(ch.remoteAddress().getAddress())) {
                            LOG.info("MS-ESL-004 event socket connection from {} refused by the ACL {}",
                                    ch.remoteAddress(), acl);
                            ch.writeAndFlush(Unpooled.copiedBuffer("Content-Type: text/rude-rejection\n"
                                    + "Content-Length: 24\n\nAccess Denied, go away.\n", StandardCharsets.UTF_8))
                                    .addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        ch.pipeline().addLast(new EslFrameDecoder(EslConnection.MAX_HEADER_BYTES, EslFrameDecoder.DEFAULT_MAX_BODY_BYTES),
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
