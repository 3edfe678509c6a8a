package org.switchboard.container;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import org.switchboard.container.admin.AdminServer;
import org.switchboard.container.admin.AdminSources;
import org.switchboard.container.admin.Route;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.container.sip.CallCaptures;
import org.switchboard.container.ops.HealthCheck;
import org.switchboard.container.ops.Operations;
import org.switchboard.container.sip.Ordered;
import org.switchboard.container.sip.SipCore;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioListenServer;
import org.switchboard.drachtio.client.DrachtioTls;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SpammerRules;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.executors.LoadShedder;
import org.switchboard.lifecycle.Graceful;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TransportException;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * A running container: the SIP connection, dispatch, the media servers applications are given and the deployer.
 * Container-wide middleware are the {@link Middleware} and {@link ErrorMiddleware} services on the container's class
 * path ({@code ServiceLoader}).
 *
 * <p>It stops gracefully ({@link Graceful}): {@link #shutdown()} stops deploying, answers new requests 503 with
 * {@code Retry-After} (in inbound mode instead withdraws the routes from every drachtio server, so that they send new
 * calls to other applications, and takes the requests that crossed the withdrawal; in outbound mode only after
 * {@code shutdown.outbound-grace}) and completes once no call is left; {@link #close()} ends the calls still up with a BYE
 * whose Reason says the container stops, then closes everything. {@link org.switchboard.lifecycle.Lifecycle#stop}
 * bounds the wait between.
 */
public final class Container implements Graceful {

    private static final Logger LOG = LoggerFactory.getLogger(Container.class);
    // how often the graceful phase looks whether the last call ended
    private static final Duration IDLE_CHECK = Duration.ofMillis(50);
    // how long close waits for the far ends to answer the BYEs it sends
    // how long a shutdown in inbound mode waits for the server to answer the removal of the routes
    private static final Duration WITHDRAW_WAIT = Duration.ofSeconds(5);
    private static final Duration BYE_WAIT = Duration.ofSeconds(2);
    // how much longer than answer.timeout the embedded server waits for an answer before it answers 408 itself:
    // the container's 480 goes first; the server's own answer is only for a container that stopped answering
    static final Duration PARK_MARGIN = Duration.ofSeconds(5);

    private final Deployer deployer;
    private final CallCaptures captures;
    private final SipCore core;
    private final ContainerMetrics metrics;
    private volatile Operations operations; // written once started: the parts its checks read are set by then
    private final Duration retryAfter; // the shutdown drain: by then this container is gone
    private final Duration outboundGrace;
    private final LoadShedder shedder; // null when overload.shed is off
    private Media media;
    private AdminServer admin;
    private DrachtioServer embedded;
    private InboundLinks links; // inbound and embedded mode: a connection per drachtio server
    private DrachtioListenServer listening;
    private final List<String> summary = new ArrayList<>();
    private volatile CompletableFuture<Void> idle; // written under this; set by shutdown; read by the health checks
    private ScheduledExecutorService idleCheck; // guarded by this
    private volatile boolean closed; // written under this; read by the health checks, which never wait for close

    private Container(ContainerConfig config, ClassLoader applicationParent) {
        metrics = ContainerMetrics.of(config);
        deployer = new Deployer(config.get(ContainerConfig.DEPLOYMENTS), config.work(), config.get(ContainerConfig.SCAN),
                config.get(ContainerConfig.REDEPLOY_DRAIN), Deployer.overrides(config.applications()), applicationParent);
        retryAfter = config.get(ContainerConfig.SHUTDOWN_DRAIN);
        outboundGrace = config.get(ContainerConfig.OUTBOUND_GRACE);
        List<Ordered<Middleware>> middleware = new ArrayList<>();
        ServiceLoader.load(Middleware.class).stream().forEach(p -> middleware.add(Ordered.of(p.get(), p.type())));
        List<Ordered<ErrorMiddleware>> errors = new ArrayList<>();
        ServiceLoader.load(ErrorMiddleware.class).stream().forEach(p -> errors.add(Ordered.of(p.get(), p.type())));
        captures = new CallCaptures(config.get(ContainerConfig.CAPTURE_ENDED), config.get(ContainerConfig.CAPTURE_MESSAGES));
        core = new SipCore(deployer, Ordered.sorted(middleware), Ordered.sorted(errors), config.get(ContainerConfig.ANSWER_TIMEOUT),
                config.get(ContainerConfig.HEALTH_OPTIONS), metrics.registry(), config.find(ContainerConfig.CALL_MAX_DURATION),
                config.get(ContainerConfig.LOG_CALLS), captures);
        metrics.deployments(deployer);
        shedder = config.overload().map(o -> new LoadShedder(o, System::nanoTime)).orElse(null);
        if (shedder != null) {
            // with the embedded server, it refuses INVITEs before they cross the drachtio connection
            core.shedLoad(shedder, !config.mode().equals("embedded"));
            summary.add("overload: new INVITEs shed with 503 while requests keep waiting over "
                    + shedder.settings().high().toMillis() + " ms (overload.*)");
        }
        if (!middleware.isEmpty() || !errors.isEmpty()) {
            summary.add("container middleware: " + middleware.stream().map(m -> m.value().getClass().getName()).toList()
                    + " error middleware: " + errors.stream().map(m -> m.value().getClass().getName()).toList());
        }
    }

    /** Starts a container: deploys what is in the deployments folder, then connects as configured; blocks until connected. */
    public static Container start(ContainerConfig config) throws Exception {
        return start(config, Deployer.apiOnly());
    }

    /**
     * Starts a container whose applications' class loaders have {@code applicationParent} as parent instead of the
     * loader that shows only the APIs. For a test that embeds the container (the Arquillian adapter): with the
     * test's own class loader, a deployed class that is also on the test's class path is the test's class, so
     * the test can inject the deployment's beans. Applications then see everything the test sees, so nothing but
     * such tests should do it.
     */
    public static Container start(ContainerConfig config, ClassLoader applicationParent) throws Exception {
        Container c = new Container(config, applicationParent);
        try {
            c.media = Media.start(config, c.core.media(), c.metrics.registry()); // before deploying: applications are given the servers
            c.summary.add(c.media.description());
            c.deployer.start(c.core);
            c.connect(config);
            c.operations = Operations.of(c.metrics::scrape, c::isRunning, c.readiness());
            c.admin(config);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        c.summary.add("deployments: " + config.get(ContainerConfig.DEPLOYMENTS).toAbsolutePath() + " " + c.deployer.deployments());
        LOG.info("SBC-001 switchboard started\n  {}", String.join("\n  ", c.summary));
        return c;
    }

    private void admin(ContainerConfig config) throws java.io.IOException {
        java.util.Optional<InetSocketAddress> listen = config.get(ContainerConfig.ADMIN_LISTEN);
        if (listen.isEmpty()) {
            return;
        }
        admin = AdminServer.start(listen.get(), config.find(ContainerConfig.ADMIN_TOKEN),
                Path.of(System.getProperty("java.io.tmpdir")),
                new AdminSources(core, deployer, this::mediaServers, config::effective));
        // the scrape takes the token like the API (Prometheus sends it as a bearer token); probes need none
        admin.route("/metrics", false, () -> new Route.Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                operations.scrape()));
        admin.route("/health/live", true, () -> health(operations.live()));
        admin.route("/health/ready", true, () -> health(operations.ready()));
        summary.add("admin API and console: http://" + listen.get().getHostString() + ":" + admin.port() + "/"
                + admin.tokenFile().map(f -> " (token in " + f + ")").orElse(""));
    }

    private static Route.Reply health(org.switchboard.container.ops.HealthReport report) {
        return new Route.Reply(report.httpStatus(), "application/json", report.json());
    }

    private void connect(ContainerConfig config) throws Exception {
        String mode = config.mode();
        switch (mode) {
            case "embedded" -> {
                String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
                Duration t1 = config.get(ContainerConfig.T1);
                captures.tapped(); // the server's wire shows every message: the drachtio-level view is not needed
                DrachtioServerConfig.Builder server = DrachtioServerConfig.builder();
                if (shedder != null) {
                    server.loadShedder(shedder);
                }
                config.rateLimit().ifPresent(server::rateLimit);
                config.find(ContainerConfig.SPAMMERS).map(SpammerRules::fromConfigFile).ifPresent(server::spammers);
                TransportConfig.Builder transport = TransportConfig.builder()
                        .udpReceiveBuffer(config.get(ContainerConfig.UDP_RECEIVE_BUFFER))
                        .symmetricResponses(config.get(ContainerConfig.SYMMETRIC_RESPONSES));
                config.sipTls().ifPresent(transport::tls);
                embedded = startServer(config, server
                        .messageTap(new CaptureTap(captures))
                        .adminAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .meterRegistry(metrics.registry())
                        .secret(secret)
                        .cdrs(config.get(ContainerConfig.CDRS))
                        .parkTimeout(serverAnswerTimeout(config.get(ContainerConfig.ANSWER_TIMEOUT)))
                        .sip(new SipStackConfig(SipServerMain.transports(config.get(ContainerConfig.CONTACTS), transport),
                                t1.equals(TimerConfig.DEFAULT_T1) ? TimerConfig.DEFAULTS : TimerConfig.scaled(t1)))
                        .build());
                if (shedder != null) {
                    shedder.watch(embedded.sipStack().transport().udpReadProbe()); // the kernel's queue too, and what it drops
                }
                inbound(List.of(new InetSocketAddress(embedded.adminAddress().getAddress().getHostAddress(),
                        embedded.adminAddress().getPort())), secret, Optional.empty());
                summary.add("SIP (embedded drachtio server): " + embedded.sipListenPoints() + "; its app port "
                        + embedded.adminAddress() + " (loopback, random secret)");
            }
            case "inbound" -> {
                List<InetSocketAddress> servers = config.find(ContainerConfig.SERVERS).orElseGet(() -> List.of(
                        InetSocketAddress.createUnresolved(config.get(ContainerConfig.HOST), config.get(ContainerConfig.PORT))));
                Optional<DrachtioTls> tls = config.get(ContainerConfig.DRACHTIO_TLS)
                        ? Optional.of(config.find(ContainerConfig.DRACHTIO_TLS_CA).map(DrachtioTls::trusting)
                                .orElseGet(DrachtioTls::trustingDefaultCas))
                        : Optional.empty();
                String secret = config.find(ContainerConfig.SECRET).orElseThrow();
                for (InetSocketAddress server : servers) {
                    secret(secret, server.getHostString());
                }
                inbound(servers, secret, tls);
                summary.add("SIP: drachtio-server" + (servers.size() > 1 ? "s" : "") + " at "
                        + String.join(", ", servers.stream().map(Setting.ADDRESS.format()).toList())
                        + tls.map(t -> " over " + t).orElse("") + " (inbound)");
            }
            case "outbound" -> {
                InetSocketAddress listen = config.get(ContainerConfig.LISTEN);
                InetSocketAddress address = new InetSocketAddress(listen.getHostString(), listen.getPort());
                DrachtioClientConfig cc = DrachtioClientConfig.builder()
                        .secret(secret(config.find(ContainerConfig.SECRET).orElseThrow(), listen.getHostString()))
                        .meterRegistry(metrics.registry()).build();
                try {
                    listening = DrachtioListenServer.listen(address, cc, core::listener, c -> core.attach(c, false));
                } catch (Exception e) {
                    throw new StartException("cannot listen for the drachtio server on " + Setting.ADDRESS.format().apply(listen)
                            + ": " + describe(e) + "; " + ContainerConfig.LISTEN.key() + " sets it (e.g. --set "
                            + ContainerConfig.LISTEN.key() + "=127.0.0.1:9024)", e);
                }
                summary.add("SIP: drachtio-server connects to " + listening.address() + " (outbound)");
            }
            default -> throw new IllegalStateException(mode);
        }
    }

    private static DrachtioServer startServer(ContainerConfig config, DrachtioServerConfig server) {
        try {
            return DrachtioServer.start(server);
        } catch (TransportException e) {
            throw new StartException(e.getMessage() + "; " + ContainerConfig.CONTACTS.key() + " sets where SIP listens (now "
                    + String.join(",", config.get(ContainerConfig.CONTACTS)) + "; e.g. --set " + ContainerConfig.CONTACTS.key()
                    + "=sip:127.0.0.1:5070;transport=udp,tcp)", e);
        }
    }

    /** An exception's message, or what it is when it has none; the cause's when it only wraps one. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        if (t instanceof java.net.BindException && String.valueOf(t.getMessage()).contains("in use")) {
            return "the address is in use (another process listens there)";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** How long the embedded server waits for the container's answer to a request: past {@code answer.timeout}, whatever it is. */
    static Duration serverAnswerTimeout(Duration answerTimeout) {
        return answerTimeout.plus(PARK_MARGIN);
    }

    // the configuration requires a secret with an external server
    private static String secret(String secret, String host) throws Exception {
        if (secret.equals(DrachtioClientConfig.EXAMPLE_SECRET) && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the example secret 'cymru' is allowed only on loopback, not for " + host);
        }
        return secret;
    }

    private void inbound(List<InetSocketAddress> servers, String secret, Optional<DrachtioTls> tls) throws Exception {
        List<DrachtioClientConfig> configs = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            DrachtioClientConfig.Builder b = DrachtioClientConfig.builder().host(server.getHostString()).port(server.getPort())
                    .secret(secret).meterRegistry(metrics.registry());
            tls.ifPresent(b::tls);
            if (embedded != null) {
                b.peerFrameLimit(1 << 20); // our own server takes large frames; a real drachtio-server keeps the default limit
            }
            configs.add(b.build());
        }
        links = InboundLinks.connect(core, configs);
    }

    /** The embedded server, when the container runs one. */
    public java.util.Optional<DrachtioServer> embeddedServer() {
        return java.util.Optional.ofNullable(embedded);
    }

    /** The connection to the (first) drachtio server in inbound and embedded mode, empty in outbound mode. */
    java.util.Optional<DrachtioClient> drachtioClient() {
        return drachtioClients().stream().findFirst();
    }

    /** The connections to the drachtio servers in inbound and embedded mode, in the order named; none in outbound mode. */
    List<DrachtioClient> drachtioClients() {
        return links == null ? List.of() : links.clients();
    }

    /** The embedded media server, when the container runs one. */
    public java.util.Optional<org.switchboard.media.server.MediaServer> embeddedMediaServer() {
        return media == null ? java.util.Optional.empty() : media.embedded();
    }

    /** The connections to the media servers, for tests and diagnostics (none without media). */
    List<org.switchboard.sip.media.MediaServer> mediaServers() {
        return media == null ? List.of() : media.servers();
    }

    /** The admin listener (API, console, and the routes to register on it), empty with {@code admin.listen=off}. */
    public java.util.Optional<AdminServer> admin() {
        return java.util.Optional.ofNullable(admin);
    }

    /**
     * Metrics and health for the admin listener: {@code /metrics} is {@code operations().scrape()},
     * {@code /health/live} {@code operations().live()}, {@code /health/ready} {@code operations().ready()}.
     */
    public Operations operations() {
        return operations;
    }

    private boolean isRunning() {
        return !closed;
    }

    /** The parts readiness depends on (docs/operations.md): SIP, the drachtio connection, each media server, deployments. */
    private List<HealthCheck> readiness() {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthCheck.of("sip", this::sipListening));
        checks.add(HealthCheck.of("drachtio", this::drachtioConnected));
        for (org.switchboard.sip.media.MediaServer server : mediaServers()) {
            checks.add(HealthCheck.of("media " + server.address(), () -> server.isConnected()
                    ? HealthCheck.Status.up("event socket connected")
                    : HealthCheck.Status.down("event socket to " + server.address() + " not connected; reconnecting")));
        }
        checks.add(HealthCheck.of("deployments", () -> {
            java.util.Map<String, String> failed = deployer.failures();
            return failed.isEmpty()
                    ? HealthCheck.Status.up(deployer.activeCount() + " running, " + deployer.drainingCount() + " draining")
                    : HealthCheck.Status.down("failed: " + failed);
        }));
        checks.add(HealthCheck.of("calls", () -> idle != null || closed
                ? HealthCheck.Status.down("shutting down: new calls get 503") : HealthCheck.Status.up("taking new calls")));
        return checks;
    }

    private HealthCheck.Status sipListening() {
        if (embedded != null) {
            return HealthCheck.Status.up("embedded server listening on " + embedded.sipListenPoints());
        }
        if (listening != null) {
            return HealthCheck.Status.up("the drachtio server connects for each call (outbound mode)");
        }
        return links.sipStatus();
    }

    private HealthCheck.Status drachtioConnected() {
        if (listening != null) {
            return HealthCheck.Status.up("listening for the drachtio server on " + listening.address());
        }
        return links.status();
    }

    /** The deployer. */
    public Deployer deployer() {
        return deployer;
    }

    /** The SIP core, for tests and diagnostics. */
    public SipCore sip() {
        return core;
    }

    /** Lines describing listeners, deployments and peers. */
    public List<String> summary() {
        return List.copyOf(summary);
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown() {
        if (idle == null) {
            idle = new CompletableFuture<>();
            deployer.stopWatching();
            CompletableFuture<Void> withdrawn = CompletableFuture.completedFuture(null);
            if (embedded != null) {
                core.refuseNewRequests(retryAfter); // our own embedded server has no other application to send new calls to
            } else if (links != null) {
                // Inbound: the server sends new calls to the other applications once it removed our routes. The requests
                // it sent before cross the removal and arrive before its answer: they are taken and drained like the
                // calls in progress, since a drachtio-server does not offer a refused request to another application.
                withdrawn = core.withdrawRoutes().completeOnTimeout(null, WITHDRAW_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> null);
            } else {
                // Outbound: the server connects for each call its routing service names this node for, and offers a
                // refused call to no other node. Readiness is down from now on; new calls are still taken for the
                // grace, the routing service's time to see that and stop naming this node, then refused.
                withdrawn = CompletableFuture.runAsync(() -> core.refuseNewRequests(retryAfter),
                        CompletableFuture.delayedExecutor(outboundGrace.toMillis(), TimeUnit.MILLISECONDS));
            }
            CompletableFuture<Void> done = idle;
            ScheduledExecutorService check = DeadlineScheduler.create("container-shutdown");
            withdrawn.thenRun(() -> check.scheduleWithFixedDelay(() -> {
                if (core.calls() == 0) {
                    done.complete(null);
                }
            }, 0, IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS));
            done.whenComplete((r, e) -> check.shutdown());
            idleCheck = check;
        }
        return idle.copy();
    }

    @Override
    public synchronized boolean isShutdown() {
        return idle != null;
    }

    @Override
    public String inFlight() {
        int calls = core.calls();
        return calls == 0 ? "" : calls + (calls == 1 ? " call" : " calls");
    }

    /** Ends the calls still up with BYE (Reason: the container stops), waits a little for their answers, closes everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        core.refuseNewRequests(retryAfter);
        int left = core.calls();
        if (left > 0) {
            LOG.info("SBC-002 ending {} with BYE", inFlight());
            try {
                core.endAllCalls("Switchboard container stopping").get(BYE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.info("SBC-003 not every BYE was answered within {} ms", BYE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (idleCheck != null) {
            idleCheck.shutdownNow();
        }
        if (media != null) {
            media.close(); // the calls have ended: their media with them
        }
        deployer.close();
        if (links != null) {
            links.close();
        }
        if (listening != null) {
            listening.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        core.close();
        if (admin != null) {
            admin.close(); // last: the console shows the drain to the end
        }
        metrics.close();
    }
}
