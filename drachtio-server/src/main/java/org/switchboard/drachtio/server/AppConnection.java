package org.switchboard.drachtio.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.drachtio.wire.DrachtioProtocolException;
import org.switchboard.drachtio.wire.FrameIds;

/**
 * One app's control connection to the server: authentication first, then routes, pings, {@code sip} and
 * {@code proxy} frames handed to the {@link ServerCore}. Frames are handled on the connection's event loop, in
 * order, and nothing here blocks.
 */
final class AppConnection extends SimpleChannelInboundHandler<DrachtioFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(AppConnection.class);

    private final ServerCore core;
    private final byte[] secret;
    private volatile Channel channel;
    private volatile boolean authenticated;
    private volatile Set<String> tags = Set.of();
    private final CompletableFuture<AppConnection> firstAuthentication;

    /** A connection an app opened (inbound mode). */
    AppConnection(ServerCore core, String secret) {
        this(core, secret, null);
    }

    /**
     * A connection the server opened to an app for one routed request (outbound mode): {@code authenticated}
     * completes when the app presented the right secret, and fails if it did not or the connection ended first.
     */
    AppConnection(ServerCore core, String secret, CompletableFuture<AppConnection> authenticated) {
        this.core = core;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.firstAuthentication = authenticated;
    }

    boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive() && authenticated;
    }

    Set<String> tags() {
        return tags;
    }

    /** Writes a reply to a frame the app sent; called on this connection's event loop, it goes out at once. */
    void reply(DrachtioFrame frame) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(frame);
        }
    }

    /**
     * Writes a frame the network caused. It is queued behind whatever the event loop is doing, so a reply the app
     * is owed for its own frame always goes out first (docs/drachtio.md).
     */
    void push(DrachtioFrame frame) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.eventLoop().execute(() -> ch.writeAndFlush(frame));
        }
    }

    /** Runs {@code task} on this connection's event loop, after the frames already queued there. */
    void execute(Runnable task) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(task);
        }
    }

    static String newId() {
        return FrameIds.next();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DrachtioFrame frame) {
        String id = frame.id();
        if (!authenticated) {
            if (frame.keyword().equals("authenticate")) {
                authenticate(ctx, frame);
            } else {
                refuse(ctx, id, "not authenticated");
            }
            return;
        }
        switch (frame.keyword()) {
            case "route" -> {
                core.routes().add(frame.token(2), this);
                reply(DrachtioFrame.of(newId(), "response", id, "OK"));
            }
            case "remove_route" -> {
                core.routes().remove(frame.token(2), this);
                reply(DrachtioFrame.of(newId(), "response", id, "OK"));
            }
            case "ping" -> reply(DrachtioFrame.of(newId(), "response", id, "OK", "pong"));
            case "sip" -> core.onAppSip(this, frame);
            case "proxy" -> core.onAppProxy(this, frame);
            case "authenticate" -> refuse(ctx, id, "already authenticated");
            default -> refuse(ctx, id, "Unknown message type");
        }
    }

    private void authenticate(ChannelHandlerContext ctx, DrachtioFrame frame) {
        byte[] presented = frame.token(2).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, secret)) {
            LOG.info("DRS-001 app {} presented an incorrect secret; closing", ctx.channel().remoteAddress());
            if (firstAuthentication != null) {
                firstAuthentication.completeExceptionally(new IllegalStateException("the app presented an incorrect secret"));
            }
            refuse(ctx, frame.id(), "incorrect secret");
            return;
        }
        String tagList = frame.token(3);
        tags = tagList.isEmpty() ? Set.of() : Set.copyOf(List.of(tagList.split(",")));
        authenticated = true;
        List<String> hostports = core.hostports();
        reply(DrachtioFrame.of(newId(), "response", frame.id(), "OK", hostports.get(0), core.version(), hostports.get(1)));
        LOG.info("DRS-002 app {} authenticated{}", ctx.channel().remoteAddress(), tags.isEmpty() ? "" : " with tags " + tags);
        core.onAppAuthenticated(this);
        if (firstAuthentication != null) {
            firstAuthentication.complete(this);
        }
    }

    /** A synchronous refusal: {@code NO} and the connection closes (docs/drachtio.md). */
    private void refuse(ChannelHandlerContext ctx, String id, String reason) {
        ctx.writeAndFlush(DrachtioFrame.of(newId(), "response", id, "NO", reason))
                .addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (firstAuthentication != null) {
            firstAuthentication.completeExceptionally(new IllegalStateException("the app closed the connection before authenticating"));
        }
        if (authenticated) {
            LOG.info("DRS-003 app {} disconnected", ctx.channel().remoteAddress());
            core.onAppGone(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DrachtioProtocolException || cause.getCause() instanceof DrachtioProtocolException) {
            LOG.warn("DRS-300 closing app connection {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("DRS-301 closing app connection {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    public String toString() {
        Channel ch = channel;
        return "app " + (ch == null ? "?" : ch.remoteAddress());
    }
}
