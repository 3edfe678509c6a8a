package org.switchboard.container.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;

/**
 * The container's SIP side: receives the drachtio server's frames, keeps the pending requests, client
 * transactions and dialogs of every application, runs new requests through the middleware chain to the
 * owning application and dialog events to the dialog's application, each call on its own lane.
 */
public final class SipCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipCore.class);
    private static final long PARK_MILLIS = 32_000;
    // RFC 3261 Timer B/F: the server's own transaction gives up by then
    private static final Duration IN_DIALOG_TIMEOUT = Duration.ofSeconds(32);

    private final ApplicationRouter router;
    private final List<Ordered<Middleware>> middleware;
    private final List<Ordered<ErrorMiddleware>> errorMiddleware;
    private final Duration answerTimeout;
    private final ExecutorService executor = CallbackExecutors.create("sip-app");
    private final Lanes lanes = new Lanes(executor);
    private final ScheduledExecutorService timers = DeadlineScheduler.create("sip-app-timers");

    private final Object lock = new Object();
    private final Map<String, Inbound> inboundByTransaction = new HashMap<>();
    private final Map<SipRequest, Inbound> inboundByRequest = new IdentityHashMap<>();
    // requests whose transaction is over, for as long as the application holds them (SipRequest has identity equality)
    private final Map<SipRequest, Boolean> answered = new java.util.WeakHashMap<>();
    private final Map<String, CallDialog> dialogs = new HashMap<>();
    private final Map<String, Outgoing> outgoing = new HashMap<>();
    private final Map<String, Parked> parked = new HashMap<>();
    private final Map<DrachtioClient, Set<String>> routes = new HashMap<>();
    private volatile DrachtioClient defaultClient;

    /** Frames that arrived before the transaction or dialog they belong to was known (the reply to our send races them). */
    private record Parked(long since, DrachtioClient client, List<DrachtioFrame> frames) {
    }

    /**
     * A core routing new requests with {@code router}; the container-wide middleware runs before each
     * application's; a request left unanswered for {@code answerTimeout} gets 480.
     */
    public SipCore(ApplicationRouter router, List<Ordered<Middleware>> middleware, List<Ordered<ErrorMiddleware>> errorMiddleware,
                   Duration answerTimeout) {
        this.router = router;
        this.middleware = List.copyOf(middleware);
        this.errorMiddleware = List.copyOf(errorMiddleware);
        this.answerTimeout = answerTimeout;
    }


    /** A listener for one connection to a drachtio server; {@link #attach} it once connected. */
    public ConnectionListener listener() {
        return new ConnectionListener();
    }

    /** Receives one connection's frames; those that arrive before {@link #attach} (outbound mode) wait for it. */
    public final class ConnectionListener implements DrachtioListener {
        private DrachtioClient client; // guarded by this
        private List<DrachtioFrame> early = new ArrayList<>(); // guarded by this; null once attached

        @Override
        public void onFrame(DrachtioFrame frame) {
            DrachtioClient c;
            synchronized (this) {
                if (early != null) {
                    early.add(frame);
                    return;
                }
                c = client;
            }
            SipCore.this.onFrame(c, frame);
        }

        @Override
        public void onDisconnect(String reason) {
            DrachtioClient c;
            synchronized (this) {
                c = client;
            }
            if (c != null) {
                disconnected(c, reason);
            }
        }

        private void attached(DrachtioClient c) {
            List<DrachtioFrame> waiting;
            synchronized (this) {
                client = c;
                waiting = early;
                early = null;
            }
            waiting.forEach(f -> SipCore.this.onFrame(c, f));
        }
    }

    /**
     * Starts using {@code client}, whose frames {@code listener} receives. With {@code routed} (an inbound
     * connection, which reconnects by itself) the server is told the methods the applications take, now and as
     * they change; a connection the server opened for a call (outbound mode) needs no routes.
     */
    public void attach(ConnectionListener listener, DrachtioClient client, boolean routed) {
        defaultClient = client;
        if (routed) {
            synchronized (lock) {
                routes.put(client, new HashSet<>());
            }
            updateRoutes();
        }
        listener.attached(client);
    }

    /** Registers and removes server routes so that they are the methods the active applications take (and CDRs when observed). */
    public void updateRoutes() {
        Set<String> wanted = new HashSet<>(router.methods());
        if (router.active().stream().anyMatch(Application::observesCdrs)) {
            wanted.addAll(List.of("cdr:attempt", "cdr:start", "cdr:stop"));
        }
        if (routesWithdrawn) {
            wanted.clear();
        }
        Map<DrachtioClient, Set<String>> snapshot;
        synchronized (lock) {
            snapshot = new HashMap<>(routes);
        }
        snapshot.forEach((client, current) -> {
            synchronized (current) {
                for (String verb : wanted) {
                    if (current.add(verb)) {
                        client.route(verb).exceptionally(e -> {
                            LOG.warn("route {} not registered: {}", verb, e.getMessage());
                            return null;
                        });
                    }
                }
                for (String verb : new ArrayList<>(current)) {
                    if (!wanted.contains(verb) && current.remove(verb)) {
                        client.removeRoute(verb);
                    }
                }
            }
        });
    }

    // ---- frames from the server -------------------------------------------------------------------------------

    void onFrame(DrachtioClient client, DrachtioFrame frame) {
        String keyword = frame.keyword();
        if (keyword.startsWith("cdr:")) {
            cdr(frame);
            return;
        }
        if (!keyword.equals("sip") || frame.sipMessage().isEmpty() || frame.tokens().size() < 10) {
            return;
        }
        SipMessage message;
        try {
            message = SipMessage.parse(frame.sipMessage().get());
        } catch (SipParseException e) {
            LOG.warn("unparsable SIP message from the server dropped: {}", e.getMessage());
            return;
        }
        String txn = frame.transactionId();
        String dialogId = frame.dialogId();
        if (message instanceof SipResponse response) {
            Outgoing op;
            synchronized (lock) {
                op = outgoing.get(txn);
                if (op == null) {
                    park(txn, client, frame);
                    return;
                }
            }
            op.onResponse(frame, response);
            return;
        }
        SipRequest request = (SipRequest) message;
        if (txn.equals("unsolicited")) {
            unsolicited(dialogId, request);
        } else if (request.isMethod("CANCEL")) {
            canceled(txn);
        } else if (dialogId.isEmpty()) {
            newRequest(client, txn, request);
        } else {
            inDialog(client, frame, txn, dialogId, request);
        }
    }

    private void park(String key, DrachtioClient client, DrachtioFrame frame) {
        long now = System.currentTimeMillis();
        if (parked.size() > 256) {
            parked.values().removeIf(p -> now - p.since > PARK_MILLIS);
        }
        parked.computeIfAbsent(key, k -> new Parked(now, client, new ArrayList<>())).frames.add(frame);
    }

    private void replay(Parked p) {
        if (p != null) {
            p.frames.forEach(f -> onFrame(p.client, f));
        }
    }

    private void newRequest(DrachtioClient client, String txn, SipRequest request) {
        if (refused(client, txn, request)) {
            return;
        }
        Optional<Application> app = router.route(request);
        Inbound in = new Inbound(client, txn, request, app.orElse(null));
        synchronized (lock) {
            inboundByTransaction.put(txn, in);
            inboundByRequest.put(request, in);
            lanes.hold(in.callId());
        }
        if (app.isEmpty()) {
            LOG.debug("{} {}: no application takes it", request.method(), request.requestUriText());
            respond(in, SipResponse.builder(404).build());
            return;
        }
        LOG.debug("{} {} call-id={} -> {}", request.method(), request.requestUriText(), in.callId(), app.get().name());
        in.deadline = schedule(answerTimeout, () -> {
            if (!in.isAnswered() && !in.canceled.isDone()) {
                LOG.warn("{}: {} {} unanswered after {} ms, answering 480", app.get().name(), request.method(),
                        request.requestUriText(), answerTimeout.toMillis());
                respond(in, SipResponse.builder(480).build());
            }
        });
        lanes.execute(in.callId(), () -> dispatch(in));
    }

    private void dispatch(Inbound in) {
        Application app = in.application;
        String method = in.request.method();
        List<Middleware> chain = new ArrayList<>();
        middleware.stream().filter(m -> m.mountedOn(method)).forEach(m -> chain.add(m.value()));
        chain.addAll(app.middleware(method));
        ExchangeImpl exchange = new ExchangeImpl(this, in, chain, () -> {
            if (!app.observes(in.request)) {
                respond(in, SipResponse.builder(in.request.isMethod("PRACK") ? 200 : 404).build());
            } else {
                app.fireRequest(in.request);
            }
        });
        inApplication(app, () -> {
            try {
                exchange.proceed();
            } catch (Throwable error) {
                handleError(exchange, app, error);
            }
        });
    }

    private void handleError(ExchangeImpl exchange, Application app, Throwable error) {
        LOG.warn("{}: {} {} failed", app.name(), exchange.request().method(), exchange.request().requestUriText(), error);
        List<ErrorMiddleware> handlers = new ArrayList<>();
        errorMiddleware.stream().map(Ordered::value).forEach(handlers::add);
        handlers.addAll(app.errorMiddleware());
        for (ErrorMiddleware h : handlers) {
            if (exchange.isAnswered()) {
                return;
            }
            try {
                h.handle(exchange, error);
            } catch (Exception e) {
                LOG.warn("{}: error middleware failed", app.name(), e);
            }
        }
        if (!exchange.isAnswered()) {
            exchange.respond(500);
        }
    }

    private void canceled(String txn) {
        Inbound in;
        synchronized (lock) {
            in = inboundByTransaction.get(txn);
        }
        if (in != null) {
            LOG.debug("CANCEL call-id={}", in.callId());
            in.finalSent.set(true); // the server answered 487 itself
            in.canceled.complete(null);
            finish(in);
        }
    }

    private void inDialog(DrachtioClient client, DrachtioFrame frame, String txn, String dialogId, SipRequest request) {
        CallDialog dialog;
        synchronized (lock) {
            dialog = dialogs.get(dialogId);
            if (dialog == null && pendingCall(request.callId().orElse(""))) {
                park(dialogId, client, frame);
                return;
            }
        }
        if (dialog == null) {
            if (!request.isMethod("ACK")) {
                client.sendSip(txn, "", Optional.empty(), "SIP/2.0 481 Call/Transaction Does Not Exist\r\n\r\n");
            }
            return;
        }
        String method = request.method();
        switch (method) {
            case "ACK" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.ACK, dialog, request, null, ""), null);
            case "BYE" -> {
                dialog.sendResponse(txn, "SIP/2.0 200 OK\r\n\r\n");
                ended(dialog, request, "BYE");
            }
            case "PRACK" -> dialog.sendResponse(txn, "SIP/2.0 200 OK\r\n\r\n");
            case "INVITE", "UPDATE" -> {
                String sdp = Wire.sdp(request);
                DialogEvent.Type type = !sdp.isEmpty() && !sdp.equals(dialog.remoteSdp()) ? DialogEvent.Type.MODIFY
                        : method.equals("UPDATE") && sdp.isEmpty() ? DialogEvent.Type.UPDATE : DialogEvent.Type.REFRESH;
                if (!sdp.isEmpty()) {
                    dialog.remoteSdp(sdp);
                }
                String answerSdp = method.equals("INVITE") || !sdp.isEmpty() ? dialog.localSdp() : "";
                fire(dialog, new DialogEventImpl(type, dialog, request, txn, ""), Wire.response(200, Map.of(), answerSdp));
            }
            case "SUBSCRIBE" -> {
                if (request.header("Expires").map(String::trim).filter("0"::equals).isPresent()) {
                    dialog.sendResponse(txn, "SIP/2.0 200 OK\r\nExpires: 0\r\n\r\n");
                    ended(dialog, request, "unsubscribed");
                } else {
                    fire(dialog, new DialogEventImpl(DialogEvent.Type.SUBSCRIBE, dialog, request, txn, ""),
                            "SIP/2.0 200 OK\r\n" + request.header("Expires").map(e -> "Expires: " + e + "\r\n").orElse("") + "\r\n");
                }
            }
            case "NOTIFY" -> {
                fire(dialog, new DialogEventImpl(DialogEvent.Type.NOTIFY, dialog, request, txn, ""), "SIP/2.0 200 OK\r\n\r\n");
                boolean terminated = request.header("Subscription-State").map(s -> s.trim().toLowerCase().startsWith("terminated"))
                        .orElse(false);
                if (terminated && dialog.method().equals("SUBSCRIBE")) {
                    ended(dialog, request, "subscription terminated");
                }
            }
            case "REFER" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.REFER, dialog, request, txn, ""), "SIP/2.0 202 Accepted\r\n\r\n");
            case "INFO" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.INFO, dialog, request, txn, ""), "SIP/2.0 200 OK\r\n\r\n");
            case "MESSAGE" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.MESSAGE, dialog, request, txn, ""), "SIP/2.0 200 OK\r\n\r\n");
            case "OPTIONS" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.OPTIONS, dialog, request, txn, ""), "SIP/2.0 200 OK\r\n\r\n");
            default -> dialog.sendResponse(txn, "SIP/2.0 405 Method Not Allowed\r\n\r\n");
        }
    }

    private boolean pendingCall(String callId) {
        for (Inbound in : inboundByTransaction.values()) {
            if (in.callId().equals(callId)) {
                return true;
            }
        }
        return false;
    }

    private void unsolicited(String dialogId, SipRequest bye) {
        CallDialog dialog;
        synchronized (lock) {
            dialog = dialogs.get(dialogId);
        }
        if (dialog != null) {
            ended(dialog, bye, Wire.reasonText(bye, "BYE"));
        }
    }

    private void ended(CallDialog dialog, SipRequest request, String reason) {
        if (dialog.end()) {
            LOG.debug("dialog {} ended: {}", dialog.id(), reason);
            DialogEventImpl event = new DialogEventImpl(DialogEvent.Type.DESTROY, dialog, request, null, reason);
            fire(dialog, event, null);
            lanes.execute(dialog.callId(), () -> dialog.complete(event));
        }
    }

    /** Fires {@code event} on the call's lane: observers, then the dialog's listeners, then the automatic answer if none was given. */
    private void fire(CallDialog dialog, DialogEventImpl event, String automaticAnswer) {
        lanes.execute(dialog.callId(), () -> {
            Application app = dialog.application;
            inApplication(app, () -> {
                try {
                    app.fireDialogEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("{}: observer of {} failed", app.name(), event, e);
                }
                for (var listener : dialog.listeners()) {
                    try {
                        listener.accept(event);
                    } catch (RuntimeException e) {
                        LOG.warn("{}: listener of {} failed", app.name(), event, e);
                    }
                }
            });
            if (automaticAnswer != null && event.answerable() && !event.isAnswered()) {
                event.respondRaw(automaticAnswer);
            }
        });
    }

    private void cdr(DrachtioFrame frame) {
        Optional<SipMessage> message;
        try {
            message = frame.sipMessage().map(SipMessage::parse);
        } catch (SipParseException e) {
            return;
        }
        if (message.isEmpty()) {
            return;
        }
        CdrEvent.Type type = CdrEvent.Type.valueOf(frame.keyword().substring(4).toUpperCase(java.util.Locale.ROOT));
        CdrEvent cdr = new CdrEvent(type, frame.token(2), frame.token(3), type == CdrEvent.Type.ATTEMPT ? "" : frame.token(4),
                message.get());
        for (Application app : router.active()) {
            if (app.observesCdrs()) {
                executor.execute(() -> inApplication(app, () -> app.fireCdr(cdr)));
            }
        }
    }

    private void disconnected(DrachtioClient client, String reason) {
        List<CallDialog> lost = new ArrayList<>();
        List<Outgoing> failed = new ArrayList<>();
        synchronized (lock) {
            dialogs.values().stream().filter(d -> d.client == client).forEach(lost::add);
            outgoing.values().stream().filter(o -> o.client == client).forEach(failed::add);
            outgoing.values().removeIf(o -> o.client == client);
        }
        failed.forEach(o -> o.fail(new SipError(503, "drachtio connection lost")));
        lost.forEach(d -> ended(d, null, "connection lost"));
        boolean routed;
        synchronized (lock) {
            routed = routes.containsKey(client);
        }
        if (routed) {
            LOG.warn("drachtio connection lost ({}); {} dialogs ended, {} requests failed; reconnecting", reason, lost.size(),
                    failed.size());
        } else {
            LOG.debug("drachtio connection for a call closed ({})", reason);
        }
    }

    // ---- what applications do ---------------------------------------------------------------------------------

    Optional<Inbound> inbound(SipRequest request) {
        synchronized (lock) {
            return Optional.ofNullable(inboundByRequest.get(request));
        }
    }

    /** Whether {@code request} was delivered and its transaction is over. */
    boolean wasAnswered(SipRequest request) {
        synchronized (lock) {
            return answered.containsKey(request);
        }
    }

    /** Sends a response to {@code in}; a final one ends the transaction unless {@code keep} (a dialog is being made). */
    CompletableFuture<DrachtioFrame> respond(Inbound in, SipResponse response) {
        return respond(in, response, false);
    }

    CompletableFuture<DrachtioFrame> respond(Inbound in, SipResponse response, boolean keep) {
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
        CompletableFuture<DrachtioFrame> sent = in.client.sendSip(in.transactionId, "", Optional.empty(), Wire.response(response));
        if (fin && !keep) {
            sent.whenComplete((r, e) -> finish(in));
        }
        return sent.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                in.canceled.isDone() ? new SipError(487, "Request Terminated") : unwrap(e)));
    }

    /** A final response sent to {@code in} made {@code dialog}: from now on the dialog takes the call's frames. */
    void register(CallDialog dialog, Inbound in) {
        Parked p;
        synchronized (lock) {
            dialogs.put(dialog.id(), dialog);
            lanes.hold(dialog.callId());
            if (in != null) {
                forgetInbound(in);
            }
            p = parked.remove(dialog.id());
        }
        replay(p);
    }

    void register(String transactionId, Outgoing op) {
        Parked p;
        synchronized (lock) {
            outgoing.put(transactionId, op);
            p = parked.remove(transactionId);
        }
        replay(p);
    }

    void forget(String transactionId, Outgoing op) {
        synchronized (lock) {
            outgoing.remove(transactionId, op);
        }
    }

    void forget(CallDialog dialog) {
        synchronized (lock) {
            if (dialogs.remove(dialog.id(), dialog)) {
                lanes.release(dialog.callId());
            }
        }
    }

    void finish(Inbound in) {
        synchronized (lock) {
            forgetInbound(in);
        }
    }

    private void forgetInbound(Inbound in) {
        ScheduledFuture<?> deadline = in.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (inboundByTransaction.remove(in.transactionId, in)) {
            inboundByRequest.remove(in.request);
            answered.put(in.request, Boolean.TRUE);
            lanes.release(in.callId());
        }
    }

    Outgoing send(Application app, RequestOptions options, Outgoing.Kind kind) {
        DrachtioClient client = defaultClient;
        Outgoing op = Outgoing.newRequest(this, client, kind, app, options, executor);
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
        op.arm(IN_DIALOG_TIMEOUT);
        dialog.client.sendSip("", dialog.id(), Optional.empty(), Wire.request(method, "sip:placeholder", headers, contentType, body))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        op.fail(error);
                    } else {
                        op.sent(reply);
                    }
                });
        return op.result.thenApply(SipResponse.class::cast);
    }

    /** The application's pending requests and dialogs, for draining. */
    int calls(Application app) {
        synchronized (lock) {
            return (int) (dialogs.values().stream().filter(d -> d.application == app).count()
                    + inboundByTransaction.values().stream().filter(i -> i.application == app).count());
        }
    }

    /**
     * Ends every dialog of {@code app} with a BYE whose Reason says {@code why}, and answers its pending requests
     * 480; returns how many.
     */
    public int endCalls(Application app, String why) {
        return endCalls(a -> a == app, why).size();
    }

    /** Ends the calls of {@code apps} (see {@link #endCalls(Application, String)}); one stage per BYE or 480 sent. */
    private List<CompletableFuture<?>> endCalls(java.util.function.Predicate<Application> apps, String why) {
        List<CallDialog> ds;
        List<Inbound> ins;
        synchronized (lock) {
            ds = dialogs.values().stream().filter(d -> apps.test(d.application)).toList();
            ins = inboundByTransaction.values().stream().filter(i -> i.application != null && apps.test(i.application)).toList();
        }
        Map<String, String> reason = Map.of("Reason", "SIP;cause=480;text=\"" + why.replace("\"", "'") + "\"");
        List<CompletableFuture<?>> sent = new ArrayList<>();
        ds.forEach(d -> sent.add(d.destroy(reason).toCompletableFuture()));
        ins.forEach(i -> sent.add(respond(i, SipResponse.builder(480).build()).exceptionally(e -> null)));
        return sent;
    }

    /** Whether {@code app} still has calls. */
    public boolean hasCalls(Application app) {
        return calls(app) > 0;
    }

    // ---- shutdown -----------------------------------------------------------------------------------------------

    // Retry-After of the 503 new requests get once the container shuts down; null while it takes them
    private volatile Duration refusing;
    private volatile boolean routesWithdrawn;

    /** From now on new requests are answered 503 with {@code Retry-After} ({@code retryAfter} in whole seconds), not dispatched. */
    public void refuseNewRequests(Duration retryAfter) {
        refusing = retryAfter;
    }

    private boolean refused(DrachtioClient client, String txn, SipRequest request) {
        Duration retryAfter = refusing;
        if (retryAfter == null) {
            return false;
        }
        LOG.debug("{} {}: shutting down, answering 503", request.method(), request.requestUriText());
        client.sendSip(txn, "", Optional.empty(), "SIP/2.0 503 Service Unavailable\r\nRetry-After: "
                + Math.max(1, retryAfter.toSeconds()) + "\r\n\r\n");
        return true;
    }

    /** Removes every route from the server, so that it sends new requests to other applications, and registers none again. */
    public void withdrawRoutes() {
        routesWithdrawn = true;
        updateRoutes();
    }

    /** The container is about to close {@code client}: losing its connection is no failure and needs no reconnect. */
    public void detach(DrachtioClient client) {
        synchronized (lock) {
            routes.remove(client);
        }
    }

    /** What a shutdown waits for: calls (dialogs and requests not answered yet) of every application. */
    public int calls() {
        synchronized (lock) {
            return dialogs.size() + inboundByTransaction.size();
        }
    }

    /**
     * Ends every call of every application like {@link #endCalls(Application, String)}; completes when each BYE
     * got its response (or failed) and each 480 was sent.
     */
    public CompletableFuture<Void> endAllCalls(String why) {
        return CompletableFuture.allOf(endCalls(a -> true, why).toArray(CompletableFuture[]::new));
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

    /** The srf an application is given. */
    public org.switchboard.sip.app.Srf srf(Application app) {
        return new SrfImpl(this, app);
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Counts for the start-up summary and tests: dialogs, pending requests, call lanes. */
    public String stats() {
        synchronized (lock) {
            return dialogs.size() + " dialogs, " + inboundByTransaction.size() + " pending requests, " + lanes.size() + " lanes";
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        executor.shutdown();
    }
}
