package org.switchboard.drachtio.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.connection.TcpListener;
import org.switchboard.drachtio.wire.DrachtioFrameDecoder;
import org.switchboard.drachtio.wire.DrachtioFrameEncoder;
import org.switchboard.lifecycle.Graceful;
import org.switchboard.metrics.Meters;
import org.switchboard.metrics.ScrapeEndpoint;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsAcceptor;
import org.switchboard.sip.stack.transport.TransportException;

/**
 * An embedded drachtio-compatible server: a SIP stack whose calls are driven by apps connected over the drachtio
 * wire protocol, exactly as drachtio-server drives them, so Node drachtio-srf apps and the Java client work with
 * it unchanged. Start with {@link #start}; it binds SIP and the admin port before returning.
 */
public final class DrachtioServer implements Graceful {

    private static final Logger LOG = LoggerFactory.getLogger(DrachtioServer.class);
    /** The {@code stack} tag of the server's SIP meters. */
    public static final String STACK_NAME = "drachtio";

    private final ServerCore core;
    private final SipStack stack;
    private final EventLoopGroup group;
    private final TcpListener admin;
    private final TcpListener adminTls;
    private final LongAdder appTlsHandshakeFailures;
    private final Scraped scraped; // null without a metrics port

    /** The server's own registry and its endpoint, with {@code metricsPort}. */
    private record Scraped(PrometheusMeterRegistry registry, AutoCloseable jvm, ScrapeEndpoint endpoint) {
    }

    private DrachtioServer(ServerCore core, SipStack stack, EventLoopGroup group, TcpListener admin, TcpListener adminTls,
            Scraped scraped, LongAdder appTlsHandshakeFailures) {
        this.appTlsHandshakeFailures = appTlsHandshakeFailures;
        this.core = core;
        this.stack = stack;
        this.group = group;
        this.admin = admin;
        this.adminTls = adminTls;
        this.scraped = scraped;
    }

    /**
     * Binds the SIP transports and the admin port and starts serving apps.
     *
     * @throws TransportException when a SIP listen point or the admin port cannot be bound
     */
    public static DrachtioServer start(DrachtioServerConfig config) {
        StackNetwork network = new StackNetwork();
        ServerCore core = new ServerCore(config, network);
        PrometheusMeterRegistry own = config.metricsPort() >= 0 ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        MeterRegistry meters = own != null ? own : config.meters();
        core.bind(meters);
        SipStack stack;
        try {
            stack = SipStack.start(config.sip().withMeters(meters, STACK_NAME), core);
            config.messageTap().ifPresent(stack.transport()::tap); // before any app connects, so before any call
            network.attach(stack);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        core.connectAppsWith(new OutboundConnections(group, core, config.secret()));
        LongAdder tlsFailures = new LongAdder();
        TcpListener apps = null;
        TcpListener appsOverTls = null;
        InetSocketAddress tlsAddress = null;
        try {
            if (config.plainAdmin()) {
                apps = TcpListener.bind(group, config.adminAddress(), ch -> appPipeline(ch, core, config));
            }
            if (config.adminTlsPort().isPresent()) {
                tlsAddress = new InetSocketAddress(config.adminAddress().getAddress(), config.adminTlsPort().getAsInt());
                TlsAcceptor tls = TlsAcceptor.of(config.sip().transport().tls().orElseThrow());
                Duration handshake = config.sip().transport().connectTimeout();
                appsOverTls = TcpListener.bind(group, tlsAddress, ch -> {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), handshake), new AppTlsHandshakes(tlsFailures));
                    appPipeline(ch, core, config);
                });
            }
        } catch (IOException | RuntimeException e) {
            if (apps != null) {
                apps.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            stack.close();
            core.close();
            InetSocketAddress where = apps == null && config.plainAdmin() ? config.adminAddress() : tlsAddress;
            throw new TransportException("cannot listen for apps on " + where + ": " + e.getMessage(), e);
        }
        Scraped scraped = null;
        if (own != null) {
            try {
                scraped = new Scraped(own, Meters.bindJvm(own), ScrapeEndpoint.start(
                        new InetSocketAddress(config.adminAddress().getAddress(), config.metricsPort()), own::scrape));
            } catch (RuntimeException e) {
                if (apps != null) {
                    apps.close();
                }
                if (appsOverTls != null) {
                    appsOverTls.close();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                stack.close();
                core.close();
                throw new TransportException(e.getMessage(), e);
            }
        }
        DrachtioServer server = new DrachtioServer(core, stack, group, apps, appsOverTls, scraped, tlsFailures);
        LOG.info("DRS-004 drachtio server {} listening for apps on {}{}; SIP on {}", DrachtioServerConfig.VERSION,
                apps == null ? "" : apps.address(), appsOverTls == null ? "" : " (TLS " + appsOverTls.address() + ")",
                stack.transport().listenPoints());
        return server;
    }

    private static void appPipeline(SocketChannel ch, ServerCore core, DrachtioServerConfig config) {
        ch.pipeline().addLast(new DrachtioFrameDecoder(), new DrachtioFrameEncoder(Integer.MAX_VALUE),
                new AppConnection(core, config.secret()));
    }

    /**
     * Where apps connect over plain TCP, with the port actually bound.
     *
     * @throws IllegalStateException when the server takes apps over TLS only ({@link #adminTlsAddress()})
     */
    public InetSocketAddress adminAddress() {
        if (admin == null) {
            throw new IllegalStateException("this server takes apps over TLS only, at " + adminTls.address());
        }
        return admin.address();
    }

    /** Where apps connect over TLS, with the port actually bound; empty when there is no TLS app port. */
    public java.util.Optional<InetSocketAddress> adminTlsAddress() {
        return java.util.Optional.ofNullable(adminTls).map(TcpListener::address);
    }

    /** How many apps' TLS handshakes on the TLS app port failed (each logged at WARN as DRS-007). */
    public long appTlsHandshakeFailures() {
        return appTlsHandshakeFailures.sum();
    }

    /** The SIP listen points, with the ports actually bound. */
    public List<ListenPoint> sipListenPoints() {
        return stack.transport().listenPoints();
    }

    /** Where Prometheus scrapes {@code /metrics}, when the endpoint is on. */
    public java.util.Optional<InetSocketAddress> metricsAddress() {
        return java.util.Optional.ofNullable(scraped).map(s -> s.endpoint().address());
    }

    /** The SIP stack underneath. */
    public SipStack sipStack() {
        return stack;
    }

    /** The number of dialogs the server tracks for apps. */
    public int dialogCount() {
        return core.dialogCount();
    }

    /**
     * How many live registrations of {@code verb} (a SIP method in any case, or a CDR type) the app connections hold;
     * zero means the server answers such a request itself. Apps register their routes asynchronously after connecting,
     * so this is what to watch to know that they are ready.
     */
    public int routes(String verb) {
        return core.routes().registrations(verb);
    }

    /** How many of each per-call registry the server holds (for tests: all zero once every call has ended). */
    ServerCore.Registries registries() {
        return core.registries();
    }

    /** Whether the server holds nothing of any call: no parked request, app request, dialog or proxy operation. */
    public boolean holdsNoCall() {
        return core.registries().empty();
    }

    /** The sizes of the server's per-call registries, for diagnostics. */
    public String perCallState() {
        return core.registries().toString();
    }

    /**
     * Stops taking new calls: from now on a new INVITE is answered 503 with a Retry-After header, while the calls
     * under way (their in-dialog requests, and requests of other methods) go on. The future completes once no call
     * is left; {@link #close()} ends what is left at once.
     */
    @Override
    public CompletableFuture<Void> shutdown() {
        return core.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return core.isShutdown();
    }

    /** The calls under way, by Call-ID ({@code "2 calls"}), empty when none. */
    @Override
    public String inFlight() {
        int calls = core.callsInFlight();
        return calls == 0 ? "" : calls == 1 ? "1 call" : calls + " calls";
    }

    /** Closes the admin port and every app connection, then the SIP stack. */
    @Override
    public void close() {
        if (scraped != null) {
            scraped.endpoint().close();
            try {
                scraped.jvm().close();
            } catch (Exception e) {
                LOG.debug("JVM meters not unbound: {}", e.toString());
            }
            scraped.registry().close();
        }
        if (admin != null) {
            admin.close();
        }
        if (adminTls != null) {
            adminTls.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        stack.close();
        core.close();
    }
}
