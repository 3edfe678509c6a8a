package org.switchboard.esl;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.connection.ClientTls;
import org.switchboard.connection.Reconnector;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.event.EslEvent;

/**
 * An inbound event socket connection to a switch (FreeSWITCH or the embedded media server): connects,
 * authenticates, and re-establishes a lost connection with capped exponential back-off, re-authenticating and
 * replaying its event subscriptions and filters. A wrong password fails {@link #connect} with
 * {@link EslException.AuthenticationFailed} and is never retried. With {@link EslClientConfig#tls} it speaks TLS
 * to a front before the switch; a refused certificate fails {@link #connect} with a message naming the reason.
 * Commands are those of {@link EslSession}.
 */
public final class EslClient extends EslSession {

    private final EslClientConfig config;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile CompletableFuture<EslClient> connecting;
    private final Reconnector reconnector;
    private final SslContext tls;

    private EslClient(EslClientConfig config, SslContext tls, EslListener listener) {
        super(config.toString(), config.commandTimeout(), config.jobTimeout(), config.eventQueue(),
                config.slowConsumerPolicy(), listener, new EslMeters(config.meters()), EventLane.LINGER_NANOS);
        this.config = config;
        this.tls = tls;
        meters.connection(config.host() + ":" + config.port(), this::isConnected);
        this.reconnector = new Reconnector(config, config.reconnectBackoff(), TIMER, this::open, () -> closed);
    }

    /**
     * Connects and authenticates; completes when the switch accepted the password.
     *
     * @throws IllegalArgumentException when the configured TLS CA file holds no usable certificate
     */
    public static CompletableFuture<EslClient> connect(EslClientConfig config, EslListener listener) {
        EslClient client = new EslClient(config, config.tls().map(ClientTls::context).orElse(null), listener);
        CompletableFuture<EslClient> result = client.open();
        result.whenComplete((c, error) -> {
            if (error != null) {
                client.close();
            }
        });
        return result;
    }

    private CompletableFuture<EslClient> open() {
        CompletableFuture<EslClient> result = new CompletableFuture<>();
        connecting = result;
        ScheduledFuture<?> deadline = TIMER.schedule(() -> fail(result, new EslException.Timeout(
                "connecting to " + config + ": no authentication within " + config.connectTimeout().toMillis() + " ms")),
                config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((c, e) -> deadline.cancel(false));
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // the switch's auth request arrives only after the handshake, so nothing else waits on it
                            var ssl = ClientTls.handler(tls, ch.alloc(), config.host(), config.port(), config.connectTimeout());
                            ssl.handshakeFuture().addListener(h -> {
                                if (!h.isSuccess()) {
                                    LOG.warn("TLS handshake with the event socket {} failed: {}", config,
                                            ClientTls.describe(h.cause()));
                                    fail(result, new EslException.ConnectionClosed(handshakeFailed(h.cause()), h.cause()));
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new EslFrameDecoder(), new Handler());
                    }
                })
                .connect(config.host(), config.port())
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        fail(result, new EslException.ConnectionClosed("cannot connect to " + config + ": "
                                + f.cause().getMessage(), f.cause()));
                    }
                });
        return result;
    }

    /** Whether the connection is up and authenticated. */
    public boolean isConnected() {
        Channel ch = channel;
        CompletableFuture<EslClient> c = connecting;
        return ch != null && ch.isActive() && c != null && c.isDone() && !c.isCompletedExceptionally();
    }

    @Override
    void onAuthRequest() {
        CompletableFuture<EslClient> result = connecting;
        // inline, so that a refusal is known before the switch's close is processed
        command(config.authCommand(), Map.of(), "", config.connectTimeout(), true).whenComplete((r, e) -> {
            if (e != null) {
                fail(result, e instanceof EslException x ? x : new EslException("authentication failed", e));
            } else if (!r.isOk()) {
                closed = true; // a wrong password is never retried
                fail(result, new EslException.AuthenticationFailed("the switch at " + config + " refused "
                        + config.userauth().map(u -> "the user " + u).orElse("the password")));
            } else {
                reconnector.connected();
                replaySubscriptions();
                offLoop(() -> result.complete(this));
            }
        });
    }

    private void replaySubscriptions() {
        List<String> commands;
        synchronized (replay) {
            commands = new ArrayList<>(replay.keySet());
        }
        for (String c : commands) {
            command(c);
        }
    }

    @Override
    void onRudeRejection() {
        closed = true;
        fail(connecting, new EslException.AuthenticationFailed("the switch at " + config + " refused this client by ACL"));
    }

    private String handshakeFailed(Throwable cause) {
        return "TLS handshake with " + config + " failed: " + ClientTls.describe(cause);
    }

    @Override
    void onInactive(String reason) {
        CompletableFuture<EslClient> c = connecting;
        boolean established = c != null && c.isDone() && !c.isCompletedExceptionally();
        if (!closed && config.reconnect() && established) {
            meters.reconnecting();
            reconnector.start();
        } else if (c != null && !c.isDone() && !closed) {
            fail(c, ClientTls.handshakeFailure(channel)
                    .map(h -> new EslException.ConnectionClosed(handshakeFailed(h), h))
                    .orElseGet(() -> new EslException.ConnectionClosed(reason + " before authentication", null)));
        }
    }

    /** Closes the connection and stops reconnecting; pending work fails with {@link EslException.ConnectionClosed}. */
    @Override
    public void close() {
        super.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        meters.close();
    }
}
