package org.switchboard.container.sip;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioListener;
import org.switchboard.drachtio.client.ReceivedRequest;
import org.switchboard.drachtio.client.ReceivedResponse;
import org.switchboard.drachtio.client.SentMessage;
import org.switchboard.drachtio.client.SipHandler;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;

/**
 * The container's SIP side: takes the drachtio connection's requests and responses, keeps every call in
 * progress ({@link Calls}: pending requests, dialogs, requests sent) and hands new requests through the
 * middleware chain to the owning application and dialog events to the dialog's application, each call on its
 * own lane.
 *
 * <p>Threads: handler methods run on the drachtio client's call lanes; application code runs on the call's lane
 * ({@link Call#execute}); per-call state lives in {@link Calls}, messages early for it in {@link EarlyMessages},
 * routes in {@link ServerRoutes}, each guarded there.
 */
public final class SipCore implements SipHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipCore.class);
    // RFC 3261 Timer B/F: the server's own transaction gives up by then
    private static final Duration IN_DIALOG_TIMEOUT = Duration.ofSeconds(32);
    // the far end of what the drachtio-level view records: the server relays it, the wire address is not known here
    private static final String DRACHTIO_PEER = "drachtio";

    private final ApplicationRouter router;
    private final Dispatch dispatch;
    private final boolean answerOptions;
    private final ExecutorService executor = CallbackExecutors.create("sip-app");
    private final ScheduledExecutorService timers = DeadlineScheduler.create("sip-app-timers");
    private final CallCaptures captures;
    private final CallWatchdog watchdog;
    private final Calls calls;
    private final DialogRequests dialogRequests = new DialogRequests(this);
    private final ContainerMedia media = new ContainerMedia(this);
    private final CallMeters meters;
    private final EarlyMessages early;
    private final ServerRoutes routes = new ServerRoutes();
    private final Admission admission;
    private final Hangups hangups;
    private final ServerLinks links = new ServerLinks();

    /**
     * A core routing new requests with {@code router}; the container-wide middleware runs before each
     * application's; a request left unanswered for {@code answerTimeout} gets 480. With {@code answerOptions} the
     * core takes OPTIONS from the server and answers those to the node itself that no application takes
     * ({@link NodeOptions}). The call meters go to {@code meters}.
     */
    public SipCore(ApplicationRouter router, List<Ordered<Middleware>> middleware, List<Ordered<ErrorMiddleware>> errorMiddleware,
                   Duration answerTimeout, boolean answerOptions, MeterRegistry meters) {
        this(router, middleware, errorMiddleware, answerTimeout, answerOptions, meters, Optional.empty(), true,
                new CallCaptures(CallCaptures.DEFAULT_ENDED, CallCaptures.DEFAULT_PER_CALL));
    }

    /**
     * A core as above whose INVITE dialogs with no in-dialog request or response for {@code maxCallIdle} are ended
     * with BYE (not watched when empty), which logs one line at INFO per call at its end when {@code logCalls}, and
     * whose calls keep their ladders in {@code captures}.
     */
    public SipCore(ApplicationRouter router, List<Ordered<Middleware>> middleware, List<Ordered<ErrorMiddleware>> errorMiddleware,
                   Duration answerTimeout, boolean answerOptions, MeterRegistry meters, Optional<Duration> maxCallIdle,
                   boolean logCalls, CallCaptures captures) {
        this.captures = captures;
        this.router = router;
        this.meters = new CallMeters(meters, this);
        this.dispatch = new Dispatch(this, middleware, errorMiddleware);
        this.answerOptions = answerOptions;
        this.watchdog = new CallWatchdog(timers, System::nanoTime, answerTimeout, maxCallIdle);
        this.calls = new Calls(executor, captures, new CallLog(logCalls));
        this.early = new EarlyMessages(calls);
        this.admission = new Admission(this.meters);
        this.hangups = new Hangups(calls, this::respond);
    }

    /** The listener a connection to a drachtio server takes; {@link #attach} the connection once it is up. */
    public DrachtioListener listener() {
        return SipHandler.super.listener();
    }

    /**
     * Starts using {@code client} for the requests applications send, beside the connections attached before (one
     * per server). With {@code routed} (an inbound connection, which reconnects by itself) the server is told the
     * methods the applications take, now and as they change; a connection the server opened for a call (outbound
     * mode) needs no routes and is forgotten when it closes.
     */
    public void attach(DrachtioClient client, boolean routed) {
        links.add(client);
        if (routed) {
            routes.add(client);
            updateRoutes();
        }
    }

    /**
     * Registers and removes server routes so that they are the methods the active applications take (and CDRs when
     * observed, OPTIONS when the core answers those to the node); completes when the server answered each removal.
     */
    public CompletableFuture<Void> updateRoutes() {
        Set<String> wanted = new HashSet<>(router.methods());
        if (answerOptions) {
            wanted.add("options");
        }
        if (router.active().stream().anyMatch(Application::observesCdrs)) {
            wanted.addAll(List.of("cdr:attempt", "cdr:start", "cdr:stop"));
        }
        return routes.update(wanted);
    }

    /**
     * Completes once the server answered every route registration sent so far: an application that was just deployed
     * is reached from then on (the deployer's {@code deployNow} waits for it).
     */
    public CompletableFuture<Void> routesAnswered() {
        return routes.answered();
    }

    // ---- what the server sends --------------------------------------------------------------------------------

    @Override
    public void onResponse(ReceivedResponse response) {
        captures.recordFromDrachtio(response.callId(), true, DRACHTIO_PEER, response.response());
        early.outgoing(response.callId(), response.transactionId(), op -> op.onResponse(response), () -> onResponse(response),
                () -> LOG.debug("a response to no request in progress dropped: {} {}", response.response().status(),
                        response.callId()));
    }

    @Override
    public void onRequest(ReceivedRequest received) {
        captures.recordFromDrachtio(received.callId(), true, received.source(), received.request());
        switch (received.kind()) {
            case NEW -> newRequest(received);
            case CANCEL -> canceled(received);
            case IN_DIALOG -> inDialog(received);
            case ENDED_BY_SERVER -> endedByServer(received);
        }
    }

    // the server ends a call CANCELed after its 200 at once, and says so: that can come before its report of the 200
    // has made the dialog here, so it waits for the dialog like a request in it
    private void endedByServer(ReceivedRequest received) {
        early.dialog(received.callId(), received.dialogId(),
                d -> dialogRequests.ended(d, received.request(), Wire.reasonText(received.request(), "BYE")),
                () -> endedByServer(received), () -> { });
    }

    private void newRequest(ReceivedRequest received) {
        if (admission.refused(received)) {
            return;
        }
        SipRequest request = received.request();
        Optional<Application> app = router.route(request);
        if (app.isEmpty() && answerOptions && NodeOptions.addressedToNode(request)) {
            received.respond(admission.probeAnswer(router.methods())).exceptionally(e -> null); // a probe: no call to keep
            return;
        }
        PendingRequest in = calls.addPending(received.callId(), call -> new PendingRequest(received, call, app.orElse(null)));
        if (app.isEmpty()) {
            LOG.debug("{} {}: no application takes it", request.method(), request.requestUriText());
            respond(in, Wire.response(404));
            return;
        }
        LOG.debug("{} {} call-id={} -> {}", request.method(), request.requestUriText(), in.call.id, app.get().name());
        captures.application(in.call.capture, app.get().name());
        if (request.isMethod("INVITE")) {
            meters.of(app.get()).offered();
        }
        in.deadline = watchdog.answerDeadline(() -> in.isAnswered() || in.canceled.isDone(), () -> executor.execute(() -> {
            LOG.warn("SBC-102 {}: {} {} call-id={} unanswered after {} s (answer.timeout), answering 480", app.get().name(),
                    request.method(), request.requestUriText(), in.call.id, watchdog.answerTimeout().toSeconds());
            respond(in, Wire.response(480));
        }));
        in.call.execute(() -> dispatch.run(in));
    }

    private void canceled(ReceivedRequest cancel) {
        calls.pending(cancel.callId(), cancel.transactionId()).ifPresent(in -> {
            LOG.debug("CANCEL call-id={}", in.call.id);
            in.finalSent.set(true); // the server answered 487 itself
            calls.answered(in.call, in.request.method(), 487);
            in.canceled.complete(null);
            if (in.request.isMethod("INVITE")) {
                meters.of(in.application).failed(487);
            }
            finish(in);
        });
    }

    private void inDialog(ReceivedRequest received) {
        SipRequest request = received.request();
        // a request found before its dialog is being made: the report of the 200 that makes it is on its way
        early.dialog(received.callId(), received.dialogId(), d -> dialogRequests.handle(d, received), () -> inDialog(received), () -> {
            if (!request.isMethod("ACK")) {
                received.respond(Wire.response(481));
            }
        });
    }

    @Override
    public void onCdr(CdrEvent cdr) {
        for (Application app : router.active()) {
            if (app.observesCdrs()) {
                executor.execute(() -> inApplication(app, () -> app.fireCdr(cdr)));
            }
        }
    }

    @Override
    public void onDisconnect(DrachtioClient client, String reason) {
        List<CallDialog> lost = calls.dialogs(d -> d.client == client);
        List<Outgoing> failed = calls.outgoing(o -> o.client == client);
        failed.forEach(o -> o.fail(new SipError(503, "drachtio connection lost")));
        lost.forEach(d -> dialogRequests.ended(d, null, "connection lost"));
        if (routes.holdsRoutesOn(client)) {
            LOG.warn("SBC-103 drachtio connection lost ({}); {} dialogs ended, {} requests failed; reconnecting", reason, lost.size(),
                    failed.size());
        } else {
            links.remove(client);
            LOG.debug("drachtio connection for a call closed ({})", reason);
        }
    }

    // ---- what applications do ---------------------------------------------------------------------------------

    /** The pending request the application was given as {@code request}, empty once answered. */
    Optional<PendingRequest> pending(SipRequest request) {
        return calls.pending(request);
    }

    /** The calls in progress. */
    Calls registry() {
        return calls;
    }

    /** Sends a response to {@code in}; a final one ends the transaction unless {@code keep} (a dialog is being made). */
    CompletableFuture<SentMessage> respond(PendingRequest in, SipResponse response) {
        return respond(in, response, false);
    }

    CompletableFuture<SentMessage> respond(PendingRequest in, SipResponse response, boolean keep) {
        boolean fin = response.status() >= 200;
        if (in.canceled.isDone()) {
            return CompletableFuture.failedFuture(new SipError(487, "Request Terminated"));
        }
        if (fin && !in.finalSent.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException(in.request.method() + " already answered"));
        }
        if (in.isAnswered() && !fin) {
            return CompletableFuture.failedFuture(new IllegalStateException(in.request.method() + " already answered"));
        }
        if (fin && in.request.isMethod("INVITE")) {
            if (response.isSuccess()) {
                if (in.application != null) {
                    meters.of(in.application).answered(in.since);
                }
            } else {
                meters.of(in.application).failed(response.status());
            }
        }
        CompletableFuture<SentMessage> sent = in.received.respond(response);
        sent.thenAccept(this::recordSent);
        if (fin) {
            calls.answered(in.call, in.request.method(), response.status());
        }
        if (fin && !keep) {
            sent.whenComplete((r, e) -> finish(in));
        }
        return sent.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                in.canceled.isDone() ? new SipError(487, "Request Terminated") : unwrap(e)));
    }

    /** A final response sent to {@code in} made {@code dialog}: from now on the dialog takes the call's requests. */
    void register(CallDialog dialog, PendingRequest in) {
        if (in != null) {
            cancelDeadline(in);
        }
        if (dialog.method().equals("INVITE")) {
            dialog.watch(watchdog.watch(() -> dialogRequests.idle(dialog, watchdog.maxIdle().orElseThrow())));
        }
        early.register(dialog, in);
    }

    void register(Call call, String transactionId, Outgoing op) {
        early.register(call, transactionId, op);
    }

    /**
     * Sends a request through {@code send}, counted until the server's report of it is back, so that a response
     * racing that report waits for it while one to nothing in progress is dropped.
     */
    void tracked(java.util.function.Supplier<CompletableFuture<SentMessage>> send, Outgoing op) {
        early.send(send, reply -> {
            recordSent(reply);
            op.sent(reply); // registers the request: a response held for it is replayed, not dropped
        }, op::fail);
    }

    /** The drachtio-level view of a message the server reports it sent (see {@link CallCaptures}). */
    void recordSent(SentMessage sent) {
        sent.message().ifPresent(m -> captures.recordFromDrachtio(sent.callId(), false, DRACHTIO_PEER, m));
    }

    void forget(Call call, String transactionId, Outgoing op) {
        if (call != null) {
            calls.removeOutgoing(call, transactionId, op);
        }
    }

    void forget(CallDialog dialog) {
        dialog.activity().stop();
        calls.removeDialog(dialog);
    }

    void finish(PendingRequest in) {
        cancelDeadline(in);
        calls.removePending(in);
    }

    private static void cancelDeadline(PendingRequest in) {
        ScheduledFuture<?> deadline = in.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    Outgoing send(Application app, RequestOptions options, Outgoing.Kind kind) {
        DrachtioClient client = links.pick(CurrentCall.of(app).flatMap(c -> calls.connection(c.call())));
        Outgoing op = Outgoing.newRequest(this, client, kind, app, options, CurrentCall.shared(app), executor);
        if (client == null) {
            op.fail(new SipError(503, "not connected to a drachtio server"));
        } else {
            op.send(Map.of());
        }
        return op;
    }

    CompletionStage<SipResponse> sendInDialog(CallDialog dialog, String method, Map<String, String> headers, String contentType,
                                              String body) {
        Outgoing op = Outgoing.inDialog(this, dialog, method, executor);
        dialog.activity().touch();
        op.arm(IN_DIALOG_TIMEOUT);
        tracked(() -> dialog.client.sendInDialog(dialog.id(), Wire.inDialog(method, headers, contentType, body)), op);
        return op.result.thenApply(SipResponse.class::cast);
    }

    /** The application's pending requests and dialogs, for draining. */
    public int calls(Application app) {
        return calls(a -> a == app);
    }

    /** The pending requests and dialogs of the applications {@code which} takes. */
    int calls(java.util.function.Predicate<Application> which) {
        return hangups.count(which);
    }

    /** A deployment version stopped: nothing of it is kept for its meters (its name's series go on). */
    public void stopped(Application app) {
        meters.forget(app);
    }

    CallMeters meters() {
        return meters;
    }

    /**
     * Ends every dialog of {@code app} with a BYE whose Reason says {@code why}, and answers its pending requests
     * 480; returns how many.
     */
    public int endCalls(Application app, String why) {
        return hangups.endCalls(a -> a == app, why).size();
    }

    /**
     * Hangs up one call as an operator asks: its dialogs get BYE with a Reason saying {@code why}, its requests not
     * answered yet 480, and the INVITEs its applications sent that have no final response a CANCEL. False when no
     * call in progress has that Call-ID.
     */
    public boolean hangUp(String callId, String why) {
        return hangups.hangUp(callId, why);
    }

    /** The calls in progress. */
    public List<CallSummary> callsInProgress() {
        return calls.summaries();
    }

    /** The ladders of the calls in progress and of the recently ended ones. */
    public CallCaptures captures() {
        return captures;
    }

    /** Whether {@code app} still has calls. */
    public boolean hasCalls(Application app) {
        return calls(app) > 0;
    }

    // ---- overload and shutdown ----------------------------------------------------------------------------------

    /**
     * Sheds load with {@code shedder}: the requests waiting for an application's answer become one of its backlogs,
     * it is evaluated on the core's timer; with {@code answersHere} (an external drachtio server) new INVITEs it
     * does not admit are answered 503 with Retry-After here, before dispatch. Call once, before traffic.
     */
    public void shedLoad(LoadShedder shedder, boolean answersHere) {
        admission.shedLoad(new LoadShedding(shedder, answersHere, calls, timers));
    }

    /** The load shedder, when the container sheds load. */
    public Optional<LoadShedder> loadShedder() {
        return admission.shedder();
    }

    /** From now on new requests are answered 503 with {@code Retry-After} ({@code retryAfter} in whole seconds), not dispatched. */
    public void refuseNewRequests(Duration retryAfter) {
        admission.refuseNewRequests(retryAfter);
    }

    /**
     * Removes every route from the server, so that it sends new requests to other applications, and registers none
     * again; completes when the server answered each removal (the requests it sent before arrive before its answer).
     */
    public CompletableFuture<Void> withdrawRoutes() {
        return routes.withdraw();
    }

    /** The container is about to close {@code client}: losing its connection is no failure and needs no reconnect. */
    public void detach(DrachtioClient client) {
        routes.remove(client);
        links.remove(client);
    }

    /** What a shutdown waits for: calls (dialogs and requests not answered yet) of every application. */
    public int calls() {
        int[] c = calls.counts();
        return c[1] + c[2];
    }

    /**
     * Ends every call of every application like {@link #endCalls(Application, String)}; completes when each BYE
     * got its response (or failed) and each 480 was sent.
     */
    public CompletableFuture<Void> endAllCalls(String why) {
        return CompletableFuture.allOf(hangups.endCalls(a -> true, why).toArray(CompletableFuture[]::new));
    }

    /** Runs {@code task} with the application's class loader as context class loader. */
    static void inApplication(Application app, Runnable task) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(app.classLoader());
        try {
            task.run();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timers.schedule(() -> executor.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    Executor executor() {
        return executor;
    }

    /** What the call watchdog did: requests answered 480 at {@code answer.timeout}, idle dialogs ended. */
    public WatchdogCounts watchdogCounts() {
        return watchdog.counts();
    }

    /** Media for applications: the servers they are given and the SIP side of their calls. */
    public ContainerMedia media() {
        return media;
    }

    /** The srf an application is given. */
    public org.switchboard.sip.app.Srf srf(Application app) {
        return new SrfImpl(this, app);
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Counts for diagnostics and tests: dialogs, pending requests, requests sent, calls, parked messages, live ladders. */
    public String stats() {
        int[] c = calls.counts();
        int waiting = early.size();
        return c[1] + " dialogs, " + c[2] + " pending requests, " + c[3] + " sent requests, " + c[0] + " calls, "
                + waiting + " parked, " + captures.held()[0] + " ladders of calls in progress";
    }

    /**
     * Whether no call holds anything and no message waits: what is left once every call has ended (its ladder then
     * is in the bounded ring of ended calls only).
     */
    public boolean isIdle() {
        return stats().equals("0 dialogs, 0 pending requests, 0 sent requests, 0 calls, 0 parked, 0 ladders of calls in progress");
    }

    @Override
    public void close() {
        admission.stop();
        timers.shutdownNow();
        executor.shutdown();
    }
}
