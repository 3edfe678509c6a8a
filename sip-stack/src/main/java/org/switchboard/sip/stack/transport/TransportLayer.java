package org.switchboard.sip.stack.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.message.Via;
import org.switchboard.sip.stack.codec.SipDatagramDecoder;
import org.switchboard.sip.stack.codec.SipMessageEncoder;
import org.switchboard.sip.stack.codec.SipStreamDecoder;
import org.switchboard.sip.uri.SipUri;

/**
 * The SIP transport layer: listens on the configured UDP, TCP, TLS, WS and WSS listen points, delivers what it
 * reads to a {@link TransportListener}, and sends messages, reusing one connection per transport and remote
 * address (inbound or outbound) until it has been idle for the configured time.
 *
 * <p>Sends never block and never throw: they return a future that fails with a {@link
 * TransportException} naming the destination.
 */
public final class TransportLayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransportLayer.class);

    // RFC 3261 18.1.1: a request within 200 bytes of the MTU goes over a congestion-controlled transport
    private static final int MTU_MARGIN = 200;

    private final TransportConfig config;
    private final TransportListener listener;
    private final EventLoopGroup group;
    private final TransportStats stats = new TransportStats();
    private final SipMeters meters;
    private final List<ListenPoint> bound = new ArrayList<>();
    private final List<Channel> udpChannels = new ArrayList<>();
    private final List<Channel> serverChannels = new ArrayList<>();
    private final Map<Destination, CompletableFuture<Channel>> connections = new ConcurrentHashMap<>();
    private final WebSocketFlows webSocketFlows = new WebSocketFlows();
    private final Bootstrap connector;
    private final StreamPipeline pipelines;
    private volatile MessageTap tap;
    // set as close begins: a send after it (a retransmission timer firing while the stack stops) fails at once, as a
    // write to a stopped event loop makes Netty log an ERROR when the write's listener is added
    private volatile boolean closing;
    private final UdpReadProbe probe = new UdpReadProbe(this::udpAddresses);

    private TransportLayer(TransportConfig config, TransportListener listener, SipMeters meters) {
        this.config = config;
        this.listener = listener;
        this.meters = meters;
        meters.bind(stats);
        this.pipelines = new StreamPipeline(this, config, config.tls().map(TlsContexts::of).orElse(null));
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        this.connector = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
    }

    /**
     * Binds every listen point and starts delivering to {@code listener}. Blocks until bound.
     *
     * @throws TransportException when a listen point cannot be bound (nothing stays bound then)
     */
    public static TransportLayer start(TransportConfig config, TransportListener listener) {
        return start(config, listener, SipMeters.none());
    }

    /**
     * Binds every listen point and starts delivering to {@code listener}, counting what is read and sent in
     * {@code meters}. Blocks until bound.
     *
     * @throws TransportException when a listen point cannot be bound (nothing stays bound then)
     */
    public static TransportLayer start(TransportConfig config, TransportListener listener, SipMeters meters) {
        TransportLayer layer = new TransportLayer(config, listener, meters);
        try {
            layer.bind();
        } catch (RuntimeException e) {
            layer.close();
            throw e;
        }
        return layer;
    }

    private void bind() {
        for (ListenPoint point : config.listenPoints()) {
            ChannelFuture f = point.transport() == Transport.UDP
                    ? new Bootstrap().group(group).channel(NioDatagramChannel.class)
                            .option(ChannelOption.SO_RCVBUF, config.udpReceiveBuffer())
                            .option(ChannelOption.SO_SNDBUF, 4 << 20)
                            .handler(new ChannelInitializer<NioDatagramChannel>() {
                                @Override
                                protected void initChannel(NioDatagramChannel ch) {
                                    ch.pipeline().addLast(probe.filter(), new SipDatagramDecoder(config.limits()),
                                            new InboundHandler(TransportLayer.this, Transport.UDP, null));
                                }
                            }).bind(point.address())
                    : new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                            .option(ChannelOption.SO_BACKLOG, 1024)
                            .childOption(ChannelOption.TCP_NODELAY, true)
                            .childHandler(pipelines.server(point.transport())).bind(point.address());
            f.awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new TransportException("cannot listen on " + point + ": " + why(point, f.cause()), f.cause());
            }
            Channel ch = f.channel();
            if (ch instanceof NioDatagramChannel udp) {
                warnWhenCapped(udp);
            }
            (point.transport() == Transport.UDP ? udpChannels : serverChannels).add(ch);
            bound.add(new ListenPoint(point.transport(), (InetSocketAddress) ch.localAddress()));
            LOG.info("SIP listening on {}", bound.get(bound.size() - 1));
        }
    }

    // Linux grants at most net.core.rmem_max (and may report twice what it granted): only a plainly smaller size warns
    private void warnWhenCapped(NioDatagramChannel udp) {
        int granted = udp.config().getReceiveBufferSize();
        if (granted < config.udpReceiveBuffer()) {
            LOG.warn("SIP-001 UDP receive buffer of {}: {} bytes asked, {} given (raise net.core.rmem_max): a burst the"
                    + " event loop cannot read at once is dropped sooner", udp.localAddress(), config.udpReceiveBuffer(), granted);
        }
    }

    private List<InetSocketAddress> udpAddresses() {
        return listenPoints().stream().filter(p -> p.transport() == Transport.UDP).map(ListenPoint::address).toList();
    }

    /** How long datagrams wait before they are read (a load signal; see {@link UdpReadProbe}). */
    public UdpReadProbe udpReadProbe() {
        return probe;
    }

    /** The bound listen points, with the ports actually bound. */
    public List<ListenPoint> listenPoints() {
        return List.copyOf(bound);
    }

    /** The first listen point of a transport whose address family matches {@code remote}'s, if any. */
    public Optional<ListenPoint> listenPoint(Transport transport, InetSocketAddress remote) {
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        ListenPoint fallback = null;
        for (ListenPoint p : bound) {
            if (p.transport() == transport) {
                if ((p.address().getAddress() instanceof Inet6Address) == v6) {
                    return Optional.of(p);
                }
                fallback = fallback == null ? p : fallback;
            }
        }
        return Optional.ofNullable(fallback);
    }

    /**
     * Where a request to {@code uri} goes when its host is a WebSocket client's {@code .invalid} name (RFC 7118): the
     * connection a request with that host in its Contact last came over, while it is open. Empty for any other URI, and
     * once that connection has closed (the client is then unreachable until it connects and registers again).
     */
    public Optional<Destination> webSocketFlow(SipUri uri) {
        return webSocketFlows.find(uri).filter(this::isOpen);
    }

    /**
     * Whether a connection to (or from) {@code destination} is open, so a message sent there now takes it rather
     * than a new one; false for UDP. A proxy keeping RFC 5626 flows asks before it forwards down one.
     */
    public boolean isOpen(Destination destination) {
        CompletableFuture<Channel> f = connections.get(destination);
        return f != null && f.isDone() && !f.isCompletedExceptionally() && f.join().isActive();
    }

    WebSocketFlows webSocketFlows() {
        return webSocketFlows;
    }

    /**
     * The transport to use for a request of {@code size} bytes: TCP instead of UDP when the request comes
     * within 200 bytes of the MTU and TCP is available, unless UDP was asked for explicitly.
     */
    public Transport transportFor(Transport preferred, int size, boolean explicit) {
        if (preferred == Transport.UDP && !explicit && size > config.mtu() - MTU_MARGIN
                && bound.stream().anyMatch(p -> p.transport() == Transport.TCP)) {
            return Transport.TCP;
        }
        return preferred;
    }

    /**
     * From now on shows {@code tap} every message read and written (null: none). Set it before traffic starts to see
     * all of it; the tap runs on the I/O threads, and a tap that throws is logged, never passed on.
     */
    public void tap(MessageTap tap) {
        this.tap = tap;
    }

    void tapReceived(SipMessage message, Transport transport, InetSocketAddress remote) {
        MessageTap t = tap;
        if (t != null) {
            try {
                t.received(message, transport, remote);
            } catch (RuntimeException e) {
                LOG.warn("SIP message tap failed on a message from {}", remote, e);
            }
        }
    }

    private void tapSent(SipMessage message, Destination destination) {
        MessageTap t = tap;
        if (t != null) {
            try {
                t.sent(message, destination.transport(), destination.address());
            } catch (RuntimeException e) {
                LOG.warn("SIP message tap failed on a message to {}", destination, e);
            }
        }
    }

    /** Counters of what this layer has read, dropped and sent. */
    public TransportStats stats() {
        return stats;
    }

    /** The meters this layer counts in. */
    public SipMeters meters() {
        return meters;
    }

    /** Sends a message to a destination. */
    public CompletableFuture<Void> send(SipMessage message, Destination destination) {
        if (closing) {
            return failed(destination, "the transport is closed", null);
        }
        if (destination.transport() == Transport.UDP) {
            Optional<Channel> udp = udpChannelFor(destination.address());
            if (udp.isEmpty()) {
                return failed(destination, "no UDP listen point for that address family", null);
            }
            return sendDatagram(udp.get(), message, destination);
        }
        if (destination.transport().isSecure() && config.tls().isEmpty()) {
            return failed(destination, "no TLS configuration (TransportConfig.tls) for outbound " + destination.transport(), null);
        }
        return connection(destination).thenCompose(ch -> write(ch, message, destination));
    }

    /**
     * Sends a response to where RFC 3261 section 18.2.2 and RFC 3581 say: over the request's own
     * connection while it is open, else to the {@code received}/{@code rport} or sent-by address.
     */
    public CompletableFuture<Void> sendResponse(SipResponse response, IncomingMessage request) {
        Channel ch = request.channel();
        CompletableFuture<Void> sent;
        if (request.transport().isReliable()) {
            Destination d = new Destination(request.transport(), request.remote());
            if (ch.isActive()) {
                sent = write(ch, response, d);
            } else if (request.transport().isWebSocket()) {
                // RFC 7118: a WebSocket client (its Via host a ".invalid" name) is reachable over its connection only
                sent = failed(d, "the WebSocket connection the request came over has closed", null);
            } else {
                sent = send(response, responseDestination(request));
            }
        } else {
            sent = sendDatagram(ch, response, responseDestination(request));
        }
        if (request.closeAfterResponse()) {
            sent.whenComplete((ok, error) -> ch.close());
        }
        return sent;
    }

    /**
     * Sends a response back where {@code request} came from, whatever its Via says: for the stateless answer to a
     * malformed request, whose Via cannot be trusted.
     */
    public CompletableFuture<Void> sendResponseToSource(SipResponse response, IncomingMessage request) {
        if (request.transport().isReliable()) {
            return sendResponse(response, request);
        }
        return sendDatagram(request.channel(), response, new Destination(request.transport(), request.remote()));
    }

    private Destination responseDestination(IncomingMessage request) {
        InetSocketAddress remote = request.remote();
        if (config.symmetricResponses()) {
            return new Destination(request.transport(), remote);
        }
        try {
            Via via = request.message().topVia();
            int port = via.rport().orElse(via.port().orElse(request.transport().defaultPort()));
            String host = via.received().orElse(via.host());
            InetAddress address = Destination.ipLiteral(host).orElse(remote.getAddress());
            return new Destination(request.transport(), new InetSocketAddress(address, port));
        } catch (SipParseException e) {
            return new Destination(request.transport(), remote);
        }
    }

    private Optional<Channel> udpChannelFor(InetSocketAddress remote) {
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        for (Channel ch : udpChannels) {
            if ((((InetSocketAddress) ch.localAddress()).getAddress() instanceof Inet6Address) == v6) {
                return Optional.of(ch);
            }
        }
        return udpChannels.isEmpty() ? Optional.empty() : Optional.of(udpChannels.get(0));
    }

    private CompletableFuture<Void> sendDatagram(Channel ch, SipMessage message, Destination destination) {
        tapSent(message, destination);
        return outcome(ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message.toBytes()), destination.address())),
                message, destination);
    }

    private CompletableFuture<Void> write(Channel ch, SipMessage message, Destination destination) {
        tapSent(message, destination);
        return outcome(ch.writeAndFlush(message), message, destination);
    }

    private CompletableFuture<Void> outcome(ChannelFuture written, SipMessage message, Destination destination) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        // a write refused by an event loop that has stopped is done already: a listener added now would have its
        // notification handed to that loop, which drops it, and the result would never complete
        if (written.isDone()) {
            settle(written, result, message, destination);
        } else {
            written.addListener((ChannelFuture f) -> settle(f, result, message, destination));
        }
        return result;
    }

    private void settle(ChannelFuture written, CompletableFuture<Void> result, SipMessage message, Destination destination) {
        if (written.isSuccess()) {
            stats.sent();
            meters.sent(message);
            result.complete(null);
        } else {
            stats.sendFailed();
            result.completeExceptionally(new TransportException(
                    "cannot send to " + destination + ": " + written.cause().getMessage(), written.cause()));
        }
    }

    private CompletableFuture<Channel> connection(Destination destination) {
        Destination key = destination; // equal to the accepted connections' keys: host names do not count
        CompletableFuture<Channel> existing = connections.get(key);
        if (existing != null && (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isActive()))) {
            return existing;
        }
        CompletableFuture<Channel> fresh = new CompletableFuture<>();
        CompletableFuture<Channel> raced = existing == null
                ? connections.putIfAbsent(key, fresh)
                : (connections.replace(key, existing, fresh) ? null : connections.get(key));
        if (raced != null) {
            return raced;
        }
        // the pipeline completes `ready`; the failure is counted and forgotten before anyone waiting on `fresh` hears of it
        CompletableFuture<Channel> ready = new CompletableFuture<>();
        ready.whenComplete((ch, error) -> {
            if (error == null) {
                fresh.complete(ch);
            } else {
                connections.remove(key, fresh);
                stats.sendFailed();
                fresh.completeExceptionally(error);
            }
        });
        connector.clone().handler(pipelines.client(destination, ready)).connect(destination.address())
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        ready.completeExceptionally(new TransportException(
                                "cannot connect to " + destination + ": " + f.cause().getMessage(), f.cause()));
                    }
                });
        return fresh;
    }

    void connectionActive(Transport transport, Channel ch) {
        connections.putIfAbsent(new Destination(transport, (InetSocketAddress) ch.remoteAddress()),
                CompletableFuture.completedFuture(ch));
    }

    /** RFC 5923: requests for {@code sentBy} over TLS may use {@code ch}, which the peer opened (see ConnectionAlias). */
    void connectionAlias(InetSocketAddress sentBy, Channel ch) {
        connections.compute(new Destination(Transport.TLS, sentBy), (k, f) -> f == null || (f.isDone()
                && (f.isCompletedExceptionally() || !f.join().isActive())) ? CompletableFuture.completedFuture(ch) : f);
    }

    void connectionClosed(Channel ch) {
        // under its remote address and under any alias it had
        connections.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally() && f.join() == ch);
    }

    TransportListener listener() {
        return listener;
    }

    /** Closes every listener and connection and stops the I/O threads; waits at most a few seconds. */
    @Override
    public void close() {
        closing = true;
        probe.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Void> failed(Destination destination, String reason, Throwable cause) {
        return CompletableFuture.failedFuture(new TransportException("cannot send to " + destination + ": " + reason, cause));
    }

    /** Why a listen point could not be bound, in words (some causes carry no message). */
    static String why(ListenPoint point, Throwable cause) {
        if (cause instanceof java.nio.channels.UnresolvedAddressException) {
            return "the host '" + point.address().getHostString() + "' does not resolve";
        }
        if (cause instanceof java.net.BindException && String.valueOf(cause.getMessage()).contains("in use")) {
            return "the address is in use (another process listens there)";
        }
        if (cause instanceof java.net.BindException && String.valueOf(cause.getMessage()).contains("assign")) {
            return "no interface of this host has that address";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
