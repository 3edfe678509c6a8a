package org.switchboard.drachtio.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.ua.RequestChecks;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * The SIP side of the embedded drachtio server: the transaction user of the stack and the interpreter of the
 * apps' {@code sip} and {@code proxy} frames. It only dispatches; each concern is a piece of its own:
 * {@link NetworkRequests} (screening, routing, offering requests to apps), {@link ParkedRequests},
 * {@link AppAnswers} (the server as UAS for apps), {@link AppRequests} (as UAC), {@link AppDialogs},
 * {@link Proxying}, {@link SessionTimers}, {@link Cdrs}, {@link HttpRouter}, {@link LocalAddresses} and
 * the meters ({@link #bind}). Unlike the reference server it leaves no call hanging when an app goes away: unanswered
 * requests get 480, its pending INVITEs are canceled and its dialogs end with BYE.
 *
 * <p>Threads: network messages arrive on SIP event loops, app frames on their connection's event loop (in order,
 * so the {@code OK} to an app's frame precedes every frame about what it started), timers fire on one
 * deadline-scheduler thread (or the configuration's {@code timerScheduler}), and DNS lookups and HTTP calls run on the resolver pool. Every piece's state is in
 * concurrent maps of per-call objects guarded by their own monitors; this class holds only the set of
 * authenticated apps (concurrent) and the graceful shutdown's flag (volatile, set once) and future (completed by
 * the timer thread).
 */
final class ServerCore implements TransactionUser, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);
    /** What a caller refused during the graceful shutdown is told to wait before it tries again (Retry-After). */
    static final int RETRY_AFTER_SECONDS = 30;
    /** How often the graceful shutdown looks whether the last call has ended. */
    private static final long DRAIN_CHECK_MILLIS = 20;
    /**
     * The option tags a Require may name without a 420: those the server implements (100rel, timer, path) and those
     * its apps act on in requests they see (replaces, norefersub, tdialog).
     */
    private static final Set<String> SUPPORTED = Set.of("100rel", "timer", "path", "replaces", "norefersub", "tdialog");

    /** How many of each per-call registry the server holds: all zero once every call has ended. */
    record Registries(int parkedRequests, int parkedTransactions, int appRequests, int dialogs, int proxyOperations) {
        boolean empty() {
            return parkedRequests == 0 && parkedTransactions == 0 && appRequests == 0 && dialogs == 0
                    && proxyOperations == 0;
        }
    }

    private final DrachtioServerConfig config;
    private final SipNetwork network;
    private final RouteTable routes = new RouteTable();
    private final Set<AppConnection> connectedApps = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final ExecutorService resolver;
    private final LocalAddresses addresses;
    private final AppDialogs dialogs;
    private final ParkedRequests parked;
    private final NetworkRequests inbound;
    private final AppAnswers answers;
    private final AppRequests requests;
    private final Proxying proxying;
    private final Admission admission;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    ServerCore(DrachtioServerConfig config, SipNetwork network) {
        this.config = config;
        this.network = network;
        this.ownsTimer = config.timerScheduler().isEmpty();
        this.timer = config.timerScheduler().orElseGet(() -> DeadlineScheduler.create("drachtio-server-timers"));
        this.resolver = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "drachtio-dns");
            t.setDaemon(true);
            return t;
        });
        Cdrs cdrs = new Cdrs(config.cdrs(), routes);
        this.addresses = new LocalAddresses(config.externalIp(), network);
        this.dialogs = new AppDialogs(network, cdrs, timer);
        this.parked = new ParkedRequests(timer, config.parkTimeout(), dialogs);
        SessionTimers sessionTimers = new SessionTimers(dialogs, network, timer,
                config.minSessionExpires().toSeconds(), config.defaultRefresher());
        this.answers = new AppAnswers(parked, dialogs, network, timer, addresses, sessionTimers, cdrs);
        this.requests = new AppRequests(config, network, addresses, resolver, dialogs, sessionTimers, cdrs);
        this.proxying = new Proxying(config, network, addresses, timer, resolver, parked, cdrs);
        this.admission = new Admission(config.spammers(), config.rateLimit(), timer, System::nanoTime);
        this.inbound = new NetworkRequests(config, routes, parked, dialogs, cdrs, new HttpRouter(resolver),
                sessionTimers, answers, proxying);
    }

    /** Outbound mode: how the server reaches an app an HTTP routing decision names. */
    void connectAppsWith(AppConnector connector) {
        inbound.connectAppsWith(connector);
    }

    RouteTable routes() {
        return routes;
    }

    String version() {
        return DrachtioServerConfig.VERSION;
    }

    int dialogCount() {
        return dialogs.size();
    }

    Registries registries() {
        return new Registries(parked.size(), parked.transactions(), requests.size(), dialogs.size(), proxying.size());
    }

    /** The distinct Call-IDs of everything under way: parked requests, app requests, dialogs, proxy operations. */
    int callsInFlight() {
        return Stream.of(parked.callIds(), requests.callIds(), dialogs.callIds(), proxying.callIds())
                .flatMap(s -> s).collect(Collectors.toSet()).size();
    }

    /**
     * The graceful phase: from now on a new INVITE from the network is answered 503 with Retry-After, while the
     * calls under way (and new requests of other methods) go on. The future completes once no call is left. The
     * registries empty from many threads, so rather than hook every removal the timer thread looks every
     * {@value #DRAIN_CHECK_MILLIS} ms; the caller bounds the wait.
     */
    CompletableFuture<Void> shutdown() {
        synchronized (drained) {
            if (!draining) {
                draining = true;
                LOG.info("DRS-006 drachtio server shutting down: new INVITEs are answered 503; {} call(s) under way",
                        callsInFlight());
                ScheduledFuture<?> check = timer.scheduleWithFixedDelay(() -> {
                    if (registries().empty()) {
                        drained.complete(null);
                    }
                }, 0, DRAIN_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                drained.whenComplete((v, e) -> check.cancel(false));
            }
        }
        return drained.copy();
    }

    boolean isShutdown() {
        return draining;
    }

    void onAppAuthenticated(AppConnection app) {
        connectedApps.add(app);
    }

    /**
     * Registers the server's gauges (drachtio-server's names): app connections, dialogs, requests waiting for an app,
     * proxy operations, read when scraped; and the count of new requests {@link Admission} refused.
     */
    void bind(MeterRegistry meters) {
        admission.bind(meters);
        Gauge.builder("drachtio.app.connections", connectedApps, Set::size).description("Authenticated app connections")
                .register(meters);
        Gauge.builder("drachtio.dialogs", dialogs, AppDialogs::size).description("Dialogs the server tracks for apps")
                .register(meters);
        Gauge.builder("drachtio.pending.app.requests", parked, ParkedRequests::size)
                .description("Network requests waiting for an app's answer").register(meters);
        Gauge.builder("drachtio.proxy.operations", proxying, Proxying::size).description("Proxy operations under way")
                .register(meters);
    }

    /** The SIP transports as apps are told them: [advertised list, bound list], each {@code proto/host:port,...}. */
    List<String> hostports() {
        return addresses.hostports();
    }

    // ---- network → server ------------------------------------------------------------------------------------

    @Override
    public boolean accepts(IncomingMessage message) {
        return (config.blacklist().isEmpty() || !config.blacklist().contains(message.remote().getAddress().getHostAddress()))
                && !admission.drops(message);
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        try {
            Optional<SipResponse.Builder> failed = RequestChecks.firstFailed(request, SUPPORTED);
            if (failed.isPresent()) {
                // before any routing: no app could answer these differently (docs/drachtio.md)
                tx.respond(failed.get().build());
                return;
            }
            if (request.to().tag().isPresent()) {
                if (!proxying.forwardRecordRouted(tx, request)) {
                    inbound.onInDialog(tx, request);
                }
                return;
            }
            Optional<Admission.Refusal> refusal = admission.rejection(tx.incoming(), request);
            if (refusal.isPresent()) {
                SipResponse.Builder refused = MessageRules.withToTag(
                        SipResponse.forRequest(request, refusal.get().status()), request, null);
                if (refusal.get().status() == 503) {
                    refused.addHeader("Retry-After", Integer.toString(admission.retryAfterSeconds()));
                }
                tx.respond(refused.build());
                return;
            }
            if (draining && request.isMethod("INVITE")) {
                tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 503), request, null)
                        .addHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).build());
                return;
            }
            if (request.isMethod("INVITE") && shed(tx, request)) {
                return;
            }
            if (proxying.forwardOverFlow(tx, request)) {
                return;
            }
            switch (request.method()) {
                case "BYE", "UPDATE", "PRACK" -> MessageRules.respond(tx, 481, null);
                default -> inbound.onNew(tx, request);
            }
        } catch (IllegalArgumentException e) {
            // a header that does not parse (SipParseException), or a Call-ID or tag the wire protocol cannot carry
            LOG.debug("rejecting {} from {}: {}", request.method(), tx.incoming().remote(), e.getMessage());
            if (!tx.hasFinalResponse()) {
                tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 400), request, null)
                        .addHeader("Warning", "399 switchboard \"" + e.getMessage().replace("\"", "'") + "\"").build());
            }
        }
    }

    /**
     * Refuses a new INVITE with 503 and Retry-After when the load shedder says so: before any app sees it, so that
     * an overloaded node spends on it only the parsing and one response. Returns whether it did.
     */
    private boolean shed(ServerTransaction tx, SipRequest request) {
        LoadShedder shedder = config.loadShedder().orElse(null);
        if (shedder == null || shedder.admit()) {
            return false;
        }
        tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 503), request, null)
                .addHeader("Retry-After", shedder.retryAfterSeconds()).build());
        return true;
    }

    @Override
    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        // parked first: a request leaves the parked ones only after its proxy operation is registered
        if (invite.isPresent() && (inbound.cancelParked(cancel, invite.get()) || proxying.cancel(cancel, invite.get()))) {
            return;
        }
        AppDialog answered = invite.isPresent() ? dialogs.findUas(cancel.request()) : null;
        if (answered != null && answered.sip.isAwaitingAck()) {
            // CANCEL after our 2xx and before the ACK: the call cannot be canceled any more, so end it
            MessageRules.respond(cancel, 481, null);
            dialogs.teardown(answered, "CANCEL after 200 OK");
            return;
        }
        MessageRules.respond(cancel, invite.isPresent() ? 200 : 481, null);
        if (invite.isPresent() && !invite.get().hasFinalResponse()) {
            // canceled while a request handler was still deciding where it goes
            MessageRules.respond(invite.get(), 487, null);
        }
    }

    @Override
    public void onAck(IncomingMessage incoming) {
        SipRequest ack = (SipRequest) incoming.message();
        if (ack.to().tag().isEmpty()) {
            return;
        }
        try {
            ack.routes();
        } catch (SipParseException e) {
            return;
        }
        if (proxying.routedHere(ack)) {
            proxying.forwardAck(incoming, ack);
        } else {
            answers.onAck(incoming, ack);
        }
    }

    @Override
    public void onStrayResponse(IncomingMessage incoming) {
        SipResponse response = (SipResponse) incoming.message();
        if (!response.isSuccess() || !response.cseq().method().equals("INVITE")) {
            proxying.forwardStray(response);
        } else {
            requests.onStray2xx(response);
        }
    }

    // ---- app → server ----------------------------------------------------------------------------------------

    /** A {@code sip} frame from an app (docs/drachtio.md); runs on the app connection's event loop. */
    void onAppSip(AppConnection app, DrachtioFrame frame) {
        String txnId = frame.token(2);
        String dialogId = frame.token(3);
        if (frame.sipMessage().isEmpty()) {
            AppFrames.nok(app, frame, "sip frame without a SIP message");
            return;
        }
        AppSipMessage msg = AppSipMessage.parse(frame.sipMessage().get(), config.preservedHeaderNames());
        try {
            if (msg.isResponse()) {
                if (txnId.isEmpty()) {
                    AppFrames.nok(app, frame, "transaction id missing");
                } else {
                    answers.respond(app, frame, txnId, msg);
                }
            } else if (!dialogId.isEmpty()) {
                requests.sendInDialog(app, frame, dialogId, msg);
            } else if (!txnId.isEmpty()) {
                if (msg.method().equals("CANCEL")) {
                    requests.cancel(app, frame, txnId, msg);
                } else {
                    AppFrames.nok(app, frame, "a " + msg.method() + " outside a dialog cannot name a transaction");
                }
            } else {
                requests.sendNew(app, frame, msg, frame.token(4));
            }
        } catch (RuntimeException e) {
            LOG.warn("DRS-303 could not act on a sip frame from {}", app, e);
            AppFrames.nok(app, frame, "Server error: " + e.getMessage());
        }
    }

    /** A {@code proxy} frame (docs/drachtio.md); runs on the app connection's event loop. */
    void onAppProxy(AppConnection app, DrachtioFrame frame) {
        proxying.onAppProxy(app, frame);
    }

    /**
     * An app went away. drachtio-server would leave its calls hanging (docs/drachtio.md); here every request it had not
     * answered gets 480, its pending INVITEs are canceled, and its dialogs end with BYE.
     */
    void onAppGone(AppConnection app) {
        connectedApps.remove(app);
        routes.removeAll(app);
        parked.refuseAllOf(app);
        requests.cancelAllOf(app);
        dialogs.teardownAllOf(app);
    }

    @Override
    public void close() {
        drained.completeExceptionally(new IllegalStateException("the drachtio server closed"));
        admission.close();
        if (ownsTimer) {
            timer.shutdownNow();
        }
        resolver.shutdownNow();
    }
}
