package org.switchboard.media.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.connection.TcpListener;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.media.core.Core;

/** The inbound event socket listener ({@code listen-ip:listen-port}, password, inbound ACL). */
public final class EslServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EslServer.class);

    private final TcpListener server;

    private EslServer(TcpListener server) {
        this.server = server;
    }

    /**
     * Listens at {@code address}. Blocks while binding.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static EslServer start(EventLoopGroup group, InetSocketAddress address, Core core, Api api,
                                  Executor background, String password, Map<String, EslUser> users, Acl acl) {
        try {
            return new EslServer(TcpListener.bind(group, address, ch -> {
                if (!acl.allows(ch.remoteAddress().getAddress())) {
                    LOG.info("MS-ESL-004 event socket connection from {} refused by the ACL {}", ch.remoteAddress(), acl);
                    ch.writeAndFlush(Unpooled.copiedBuffer("Content-Type: text/rude-rejection\n"
                            + "Content-Length: 24\n\nAccess Denied, go away.\n", StandardCharsets.UTF_8))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ch.pipeline().addLast(new EslFrameDecoder(EslConnection.MAX_HEADER_BYTES, EslFrameDecoder.DEFAULT_MAX_BODY_BYTES),
                        EslConnection.inbound(core, api, background, password, users));
            }));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for the event socket on " + address, e);
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }
}
