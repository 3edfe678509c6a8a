package org.switchboard.drachtio.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.connection.ClientTls;
import org.switchboard.connection.Reconnector;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.drachtio.wire.DrachtioFrameDecoder;
import org.switchboard.drachtio.wire.DrachtioFrameEncoder;
import org.switchboard.drachtio.wire.FrameIds;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.executors.KeyedLanes;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.sip.app.ProxyOptions;
import org.switchboard.sip.app.ProxyResult;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * An application's connection to a drachtio server (inbound mode).
 *
 * <p>Every request has a deadline and completes with the server's {@code response} frame, or fails with a
 * {@link DrachtioException}: {@code Refused} for {@code NO}/{@code NOK}, {@code Timeout}, or, at once when the
 * connection drops, {@code ConnectionClosed}. Futures complete and listeners run off the I/O threads, one call's
 * frames in order. A lost connection is re-established with capped exponential back-off, re-authenticated, and
 * every route registered again; a refused secret is never retried.
 */
public final class DrachtioClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DrachtioClient.class);
    private static final ScheduledExecutorService TIMER = DeadlineScheduler.create("drachtio-timers");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)");
    private static final Pattern VERSION = Pattern.compile("^v(\\d+)\\.(\\d+)\\.(\\d+)");

    private final DrachtioClientConfig config;
    private final DrachtioListener listener;
    // null for a connection accepted by a DrachtioListenServer, which owns the I/O threads and never reconnects
    private final EventLoopGroup group;
    private final ExecutorService executor = CallbackExecutors.create("drachtio");
    private final SerialExecutor otherFrames = new SerialExecutor(executor);
    private final KeyedLanes<String> calls = new KeyedLanes<>(executor);
    private final PendingRequests pending;
    private final Set<String> routes = new LinkedHashSet<>();
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile CompletableFuture<DrachtioClient> connecting;
    private volatile DrachtioFrame authentication;
    private volatile String authenticateId;
    private final Reconnector reconnector;
    // the client TLS context when the config asks for TLS, else null
    private final SslContext tls;
    private final java.util.concurrent.atomic.AtomicInteger missedPongs = new java.util.concurrent.atomic.AtomicInteger();

    private final ClientMeters meters;

    private DrachtioClient(DrachtioClientConfig config, DrachtioListener listener, EventLoopGroup group, SslContext tls) {
        this.config = config;
        this.tls = tls;
        this.listener = listener;
        this.group = group;
        this.reconnector = new Reconnector(config, config.reconnectBackoff(), TIMER, this::open, () -> closed);
        this.meters = new ClientMeters(config.meters());
        this.pending = new PendingRequests(TIMER, meters, (f, frame) -> offLoop(() -> f.complete(frame)), this::fail);
        if (group != null) {
            meters.connection(config.host() + ":" + config.port(), this::isConnected);
        }
    }

    /**
     * A connection the server opened to a listening app (outbound mode): the app authenticates on it
     * like an inbound client; {@code authenticated} completes when the server accepted. It never reconnects.
     */
    static DrachtioClient accepted(DrachtioClientConfig config, DrachtioListener listener, CompletableFuture<DrachtioClient> authenticated) {
        DrachtioClient client = new DrachtioClient(config, listener, null, null);
        client.connecting = authenticated;
        return client;
    }

    /** The handler to put at the end of an accepted connection's pipeline. */
    io.netty.channel.ChannelHandler handler() {
        return new Handler();
    }

    /**
     * Connects (over TLS when the config says so) and authenticates; completes when the server accepted the secret.
     *
     * @throws IllegalArgumentException when the config's TLS CA file cannot be loaded
     */
    public static CompletableFuture<DrachtioClient> connect(DrachtioClientConfig config, DrachtioListener listener) {
        SslContext tls = config.tls().map(DrachtioTls::context).orElse(null);
        DrachtioClient client = new DrachtioClient(config, listener, new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()),
                tls);
        CompletableFuture<DrachtioClient> result = client.open();
        result.whenComplete((c, e) -> {
            if (e != null) {
                client.close();
            }
        });
        return result;
    }

    private CompletableFuture<DrachtioClient> open() {
        CompletableFuture<DrachtioClient> result = new CompletableFuture<>();
        connecting = result;
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // the handler authenticates once the handshake is done; the name is checked
                            SslHandler ssl = ClientTls.handler(tls, ch.alloc(), config.host(), config.port(),
                                    config.connectTimeout());
                            ssl.handshakeFuture().addListener(h -> {
                                if (!h.isSuccess()) {
                                    LOG.warn("DRC-006 TLS handshake with the drachtio server {} failed: {}", config,
                                            ClientTls.describe(h.cause()));
                                    fail(result, new DrachtioException.ConnectionClosed(handshakeFailed(h.cause())));
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new DrachtioFrameDecoder(), new DrachtioFrameEncoder(config.peerFrameLimit()),
                                new Handler());
                    }
                })
                .connect(config.host(), config.port())
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        fail(result, new DrachtioException.ConnectionClosed("cannot connect to " + config + ": " + f.cause().getMessage()));
                    }
                });
        return result;
    }

    private String handshakeFailed(Throwable cause) {
        return "TLS handshake with " + config + " failed: " + ClientTls.describe(cause);
    }

    /** The server's {@code OK} to authenticate: token 4 its SIP addresses, token 5 its version, token 6 its local addresses. */
    public Optional<DrachtioFrame> serverInfo() {
        return Optional.ofNullable(authentication);
    }

    /** The listener this connection's frames go to. */
    public DrachtioListener listener() {
        return listener;
    }

    /** Whether the connection is up and authenticated. */
    public boolean isConnected() {
        Channel ch = channel;
        CompletableFuture<DrachtioClient> c = connecting;
        return ch != null && ch.isActive() && c != null && c.isDone() && !c.isCompletedExceptionally();
    }

    /** Registers for new requests of a method (or a {@code cdr:*} type); registered again after a reconnect. */
    public CompletableFuture<DrachtioFrame> route(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        synchronized (routes) {
            routes.add(v);
        }
        return request("route", List.of(v), Optional.empty());
    }

    /** Withdraws a registration. */
    public CompletableFuture<DrachtioFrame> removeRoute(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        synchronized (routes) {
            routes.remove(v);
        }
        return request("remove_route", List.of(v), Optional.empty());
    }

    /** Application-level keep-alive: completes with the server's {@code OK|pong}. */
    public CompletableFuture<DrachtioFrame> ping() {
        return request("ping", List.of(), Optional.empty());
    }

    /**
     * Sends a {@code sip} frame: {@code sip|<transactionId>|<dialogId>[|<routeUri>]} and the SIP message (docs/drachtio.md).
     * Completes with the server's reply, whose SIP part is the message as sent.
     */
    public CompletableFuture<DrachtioFrame> sendSip(String transactionId, String dialogId, Optional<String> routeUri, String sipMessage) {
        List<String> args = new ArrayList<>(List.of(transactionId, dialogId));
        routeUri.ifPresent(args::add);
        return request("sip", args, Optional.of(sipMessage));
    }

    // ---- typed operations: what applications use; no token position leaves this module --------------------------

    /** Answers the request of transaction {@code transactionId}; the server completes the response's headers. */
    public CompletableFuture<SentMessage> respond(String transactionId, SipResponse response) {
        return sendSip(transactionId, "", Optional.empty(), response.toString()).thenApply(TypedReplies::sent);
    }

    /**
     * Sends a request outside any dialog (a new call, a registration, a MESSAGE); the server adds what the
     * request lacks (Via, Call-ID, From tag, CSeq, Contact). {@code routeUri} sends it to another address than
     * its Request-URI (an outbound proxy).
     */
    public CompletableFuture<SentMessage> sendRequest(SipRequest request, Optional<String> routeUri) {
        return sendSip("", "", routeUri, request.toString()).thenApply(TypedReplies::sent);
    }

    /** Sends a request inside dialog {@code dialogId}; the server fills in the dialog's addressing (any Request-URI will do). */
    public CompletableFuture<SentMessage> sendInDialog(String dialogId, SipRequest request) {
        return sendSip("", dialogId, Optional.empty(), request.toString()).thenApply(TypedReplies::sent);
    }

    /** Cancels the pending INVITE of transaction {@code transactionId} that the application sent. */
    public CompletableFuture<SentMessage> cancel(String transactionId, SipRequest cancel) {
        return sendSip(transactionId, "", Optional.empty(), cancel.toString()).thenApply(TypedReplies::sent);
    }

    /**
     * Proxies the pending request of transaction {@code transactionId} ({@code request} carries its method, its
     * first destination and extra headers) and completes with every final response the destinations gave.
     * {@code timeout} bounds the whole operation, ringing included.
     */
    public CompletableFuture<ProxyResult> proxy(String transactionId, SipRequest request, ProxyOptions options,
                                                java.time.Duration timeout) {
        return proxy(TypedReplies.proxyArguments(transactionId, request, options), request.toString(), timeout)
                .thenApply(TypedReplies::proxyResult);
    }

    /** Calls with frames queued or being handled right now (their lanes exist only meanwhile). */
    public int busyCalls() {
        return calls.size();
    }

    // ---- frame-level operations: for protocol tools and tests ---------------------------------------------------

    /** Sends a frame of any keyword with a fresh message id; completes with the response that is not marked {@code continue}. */
    public CompletableFuture<DrachtioFrame> request(String keyword, List<String> args, Optional<String> sipMessage) {
        return send(keyword, args, sipMessage, config.requestTimeout(), null);
    }

    /**
     * Sends a {@code proxy} frame and completes with every {@code continue} report, then the final
     * {@code done} response, or fails like {@link #request}. {@code timeout} bounds the whole operation (ringing
     * included), so it is longer than the usual request deadline.
     */
    public CompletableFuture<List<DrachtioFrame>> proxy(List<String> args, String sipMessage, java.time.Duration timeout) {
        List<DrachtioFrame> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        return send("proxy", args, Optional.of(sipMessage), timeout, reports).thenApply(done -> {
            List<DrachtioFrame> all;
            synchronized (reports) {
                all = new ArrayList<>(reports);
            }
            all.add(done);
            return all;
        });
    }

    private CompletableFuture<DrachtioFrame> send(String keyword, List<String> args, Optional<String> sipMessage,
                                                  java.time.Duration timeout, List<DrachtioFrame> reports) {
        String id = FrameIds.next();
        if (keyword.equals("authenticate")) {
            authenticateId = id;
        }
        List<String> tokens = new ArrayList<>(args.size() + 2);
        tokens.add(id);
        tokens.add(keyword);
        tokens.addAll(args);
        DrachtioFrame frame = new DrachtioFrame(tokens, sipMessage);
        String description = keyword + (args.isEmpty() ? "" : " " + args.get(0));
        Channel ch = channel;
        if (ch == null || !ch.isActive() || closed) {
            return CompletableFuture.failedFuture(new DrachtioException.ConnectionClosed("'" + description + "': not connected to "
                    + config));
        }
        CompletableFuture<DrachtioFrame> response = pending.add(id, keyword, description, timeout, reports);
        ch.writeAndFlush(frame).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                pending.notSent(id, f.cause());
            }
        });
        return response;
    }

    private void fail(CompletableFuture<?> future, DrachtioException error) {
        offLoop(() -> future.completeExceptionally(error));
    }

    private void offLoop(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closing) {
            task.run();
        }
    }

    /** Closes the connection and stops reconnecting; pending requests fail with {@code ConnectionClosed}. */
    @Override
    public void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        pending.failAll("the client was closed");
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        executor.shutdown();
        meters.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<DrachtioFrame> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null) {
                authenticate();
            } else {
                // a failed handshake is reported as such where the TLS layer is added, not as an unsent authenticate
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        authenticate();
                    }
                });
            }
            super.channelActive(ctx);
        }

        private void authenticate() {
            CompletableFuture<DrachtioClient> result = connecting;
            request("authenticate", List.of(config.secret(), String.join(",", config.tags())), Optional.empty())
                    .whenComplete((ok, e) -> {
                        if (e == null) {
                            authentication = ok;
                            reconnector.connected();
                            List<String> again;
                            synchronized (routes) {
                                again = new ArrayList<>(routes);
                            }
                            again.forEach(v -> request("route", List.of(v), Optional.empty()));
                            if (pingsSupported(ok.token(5))) {
                                schedulePing(channel);
                            }
                            result.complete(DrachtioClient.this);
                        } else {
                            Throwable cause = e.getCause() != null ? e.getCause() : e;
                            if (cause instanceof DrachtioException.Refused) {
                                result.completeExceptionally(new DrachtioException.AuthenticationFailed(
                                        "the server at " + config + " refused the secret"));
                            } else {
                                result.completeExceptionally(cause);
                            }
                        }
                    });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DrachtioFrame frame) {
            if (frame.keyword().equals("response")) {
                if (!frame.isContinued() && frame.inReplyTo().equals(authenticateId) && !frame.isOk()) {
                    closed = true; // known before the server's close is processed: a refused secret is never retried
                }
                if (!pending.answer(frame)) {
                    LOG.debug("response from {} to no pending request: {}", config, frame);
                }
                return;
            }
            String callId = frame.sipMessage().map(CALL_ID::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse("");
            Runnable deliver = () -> {
                try {
                    listener.onFrame(DrachtioClient.this, frame);
                } catch (RuntimeException e) {
                    LOG.warn("DRC-001 drachtio listener failed on {}", frame, e);
                }
            };
            if (callId.isEmpty()) {
                otherFrames.execute(deliver);
            } else {
                calls.execute(callId, deliver);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            String reason = "connection to " + config + " closed";
            pending.failAll(reason);
            offLoop(() -> listener.onDisconnect(DrachtioClient.this, reason));
            CompletableFuture<DrachtioClient> c = connecting;
            boolean established = c != null && c.isDone() && !c.isCompletedExceptionally();
            if (!closed && config.reconnect() && established && group != null) {
                meters.reconnecting();
                reconnector.start();
            } else if (c != null && !c.isDone() && !closed) {
                fail(c, new DrachtioException.ConnectionClosed(ClientTls.handshakeFailure(ctx.channel())
                        .map(DrachtioClient.this::handshakeFailed).orElse(reason + " before authentication")));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("DRC-002 closing the drachtio connection to {}: {}", config, cause.getMessage());
            ctx.close();
        }
    }

    /** drachtio-srf pings only servers of v0.8.2 and later; so do we. */
    static boolean pingsSupported(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return false;
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        return v[0] > 0 || v[1] > 8 || (v[1] == 8 && v[2] >= 2);
    }

    /** Keep-alive: a ping every interval on this connection; enough missed pongs in a row close it. */
    private void schedulePing(Channel ch) {
        long interval = config.pingInterval().toMillis();
        if (interval == 0) {
            return;
        }
        TIMER.schedule(() -> {
            if (closed || ch != channel || !ch.isActive()) {
                return;
            }
            ping().whenComplete((pong, e) -> {
                if (e == null) {
                    missedPongs.set(0);
                } else if (missedPongs.incrementAndGet() >= config.maxMissedPongs() && ch.isActive()) {
                    LOG.warn("DRC-003 {} answered none of the last {} pings; closing the connection", config, config.maxMissedPongs());
                    ch.close();
                    return;
                }
                schedulePing(ch);
            });
        }, interval, TimeUnit.MILLISECONDS);
    }
}
