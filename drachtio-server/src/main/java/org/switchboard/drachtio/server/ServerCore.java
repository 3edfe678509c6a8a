package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.message.Via;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.stack.ua.AckWait;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * The SIP side of the embedded drachtio server: the transaction user of the stack and the interpreter of the
 * apps' {@code sip} frames. It parks network requests for the app that routed them, completes and sends what apps
 * write, tracks dialogs and routes in-dialog traffic to their owner, and does on its own what drachtio-server does
 * (spec section 5): 2xx retransmission and the ACK-timeout BYE, CANCEL, reliable provisionals, CDRs. Unlike the
 * reference server it leaves no call hanging when an app goes away: unanswered requests get 480 and dialogs BYE.
 */
final class ServerCore implements TransactionUser, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final Pattern LOCALHOST = Pattern.compile("@localhost(?=[>;\\s]|$)");
    private static final Set<String> RESPONSE_OWNED = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
            HeaderNames.CSEQ);
    private static final Set<String> CANCEL_OWNED = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
            HeaderNames.CSEQ, HeaderNames.CONTACT, "P-Asserted-Identity");
    private static final String PLACEHOLDER = "sip:placeholder";

    /** A network request handed to an app, waiting for its answer. */
    private static final class Inbound {
        final String txnId;
        final ServerTransaction tx;
        final AppConnection app;
        final ServerDialog dialog;
        String localTag;
        ServerDialog early;
        boolean provisionalSent;
        boolean finalSent;
        ScheduledFuture<?> park;
        /** An UPDATE received in this INVITE's early dialog, answered by the app on the INVITE's id (spec 3.4.7). */
        ServerTransaction update;

        Inbound(String txnId, ServerTransaction tx, AppConnection app, ServerDialog dialog) {
            this.txnId = txnId;
            this.tx = tx;
            this.app = app;
            this.dialog = dialog;
        }
    }

    /** A request an app sent, waiting for responses. */
    private static final class Outbound {
        final String txnId;
        final AppConnection app;
        final String dialogId;
        final ServerDialog dialog;
        final Destination destination;
        volatile ClientTransaction tx;
        volatile boolean canceled;
        volatile boolean answered;
        final Set<String> endedForks = ConcurrentHashMap.newKeySet();

        Outbound(String txnId, AppConnection app, String dialogId, ServerDialog dialog, Destination destination) {
            this.txnId = txnId;
            this.app = app;
            this.dialogId = dialogId;
            this.dialog = dialog;
            this.destination = destination;
        }
    }

    private final DrachtioServerConfig config;
    private final RouteTable routes = new RouteTable();
    private final ScheduledExecutorService timer;
    private final ExecutorService resolver;
    private final Map<String, Inbound> inbound = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, Inbound> inboundByTx = new ConcurrentHashMap<>();
    private final Map<String, Outbound> outbound = new ConcurrentHashMap<>();
    private final Map<String, ServerDialog> dialogs = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, ProxyOperation> proxied = new ConcurrentHashMap<>();
    private final Set<AppConnection> connectedApps = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    private final SessionTimers sessionTimers;
    private final HttpRouter httpRouter;
    private volatile SipStack stack;
    private volatile AppConnector connector;

    ServerCore(DrachtioServerConfig config) {
        this.config = config;
        this.sessionTimers = new SessionTimers(this, config.minSessionExpires().toSeconds(), config.defaultRefresher());
        this.timer = DeadlineScheduler.create("drachtio-server-timers");
        this.resolver = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "drachtio-dns");
            t.setDaemon(true);
            return t;
        });
        this.httpRouter = new HttpRouter(resolver);
    }

    /** Opens a connection to an app that listens (outbound mode); completes once the app authenticated. */
    interface AppConnector {
        CompletableFuture<AppConnection> connect(String host, int port, boolean tls);
    }

    void attach(SipStack stack, AppConnector connector) {
        this.stack = stack;
        this.connector = connector;
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

    void onAppAuthenticated(AppConnection app) {
        connectedApps.add(app);
    }

    /** The server's counters in Prometheus' text format. */
    String metrics() {
        StringBuilder out = new StringBuilder();
        gauge(out, "drachtio_app_connections", "Authenticated app connections", connectedApps.size());
        gauge(out, "drachtio_dialogs", "Dialogs the server tracks for apps", dialogs.size());
        gauge(out, "drachtio_pending_app_requests", "Network requests waiting for an app's answer", inbound.size());
        gauge(out, "drachtio_proxy_operations", "Proxy operations under way", proxied.size());
        out.append("# HELP drachtio_sip_requests_received_total SIP requests received, by method\n")
                .append("# TYPE drachtio_sip_requests_received_total counter\n");
        requestsByMethod.forEach((m, n) -> out.append("drachtio_sip_requests_received_total{method=\"").append(m)
                .append("\"} ").append(n.sum()).append('\n'));
        var stats = stack.transport().stats();
        counter(out, "drachtio_sip_messages_received_total", "SIP messages read", stats.messagesReceived());
        counter(out, "drachtio_sip_messages_sent_total", "SIP messages sent", stats.messagesSent());
        counter(out, "drachtio_sip_malformed_total", "Malformed SIP input dropped or answered 400", stats.malformedInputs());
        counter(out, "drachtio_sip_send_failures_total", "SIP messages that could not be sent", stats.sendFailures());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    /** The SIP transports as apps are told them: [advertised list, bound list], each {@code proto/host:port,...}. */
    List<String> hostports() {
        List<String> advertised = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (ListenPoint lp : stack.transport().listenPoints()) {
            String proto = lp.transport().name().toLowerCase(Locale.ROOT) + "/";
            advertised.add(proto + advertisedHost(lp) + ":" + lp.address().getPort());
            local.add(proto + lp.hostForUri() + ":" + lp.address().getPort());
        }
        return List.of(String.join(",", advertised), String.join(",", local));
    }

    // ---- network → app ------------------------------------------------------------------------------------

    @Override
    public boolean accepts(IncomingMessage message) {
        return config.blacklist().isEmpty() || !config.blacklist().contains(message.remote().getAddress().getHostAddress());
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        requestsByMethod.computeIfAbsent(request.method(), m -> new LongAdder()).increment();
        try {
            if (request.to().tag().isPresent()) {
                if (!forwardRecordRouted(tx, request)) {
                    inDialogFromNetwork(tx, request);
                }
                return;
            }
            switch (request.method()) {
                case "BYE", "UPDATE", "PRACK" -> respond(tx, 481, null);
                default -> newFromNetwork(tx, request);
            }
        } catch (IllegalArgumentException e) {
            // a header that does not parse (SipParseException), or a Call-ID or tag the wire protocol cannot carry
            LOG.debug("rejecting {} from {}: {}", request.method(), tx.incoming().remote(), e.getMessage());
            if (!tx.hasFinalResponse()) {
                tx.respond(withToTag(SipResponse.forRequest(request, 400), request, null)
                        .addHeader("Warning", "399 switchboard \"" + e.getMessage().replace("\"", "'") + "\"").build());
            }
        }
    }

    private void newFromNetwork(ServerTransaction tx, SipRequest request) {
        String method = request.method();
        if (isSpam(request)) {
            respond(tx, 603, null);
            return;
        }
        if (method.equals("REGISTER") && config.rejectRegisterWithNoRealm() && request.requestUri() instanceof SipUri uri
                && uri.host().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            respond(tx, 403, null);
            return;
        }
        if (method.equals("REGISTER") && request.isWildcardContact()
                && !request.header(HeaderNames.EXPIRES).map(String::strip).orElse("").equals("0")) {
            respond(tx, 400, null);
            return;
        }
        if (method.equals("OPTIONS") && config.optionsAutoRespond().isPresent()
                && config.optionsAutoRespond().equals(request.header(HeaderNames.USER_AGENT).map(String::strip))) {
            respond(tx, 200, null);
            return;
        }
        Optional<RequestHandler> handler = config.requestHandlers().stream().filter(h -> h.handles(method)).findFirst();
        if (handler.isPresent()) {
            httpRouter.decide(handler.get(), request, tx.incoming()).thenAccept(d -> apply(d, tx, request));
            return;
        }
        Optional<AppConnection> app = routes.next(method, a -> true);
        if (app.isEmpty()) {
            LOG.debug("no app routes {}; answering 503", method);
            SipResponse unavailable = respond(tx, 503, null);
            if (method.equals("INVITE")) {
                cdr("attempt", "network", List.of(), request);
                cdr("stop", "application", List.of("call-rejected"), unavailable);
            }
            return;
        }
        deliver(tx, request, app.get());
    }

    /** Whether a spammer rule matches: User-Agent containing a listed value, or To/From user part containing one. */
    private boolean isSpam(SipRequest request) {
        for (Map.Entry<String, List<String>> rule : config.spammers().entrySet()) {
            String value = switch (rule.getKey()) {
                case "User-Agent" -> request.header(HeaderNames.USER_AGENT).orElse("");
                case "To" -> request.to().uri() instanceof SipUri u ? u.user().orElse("") : "";
                default -> request.from().uri() instanceof SipUri u ? u.user().orElse("") : "";
            };
            if (!value.isEmpty() && rule.getValue().stream().anyMatch(value::contains)) {
                return true;
            }
        }
        return false;
    }

    /** Hands a new request to an app (layout A, spec 3.4.1) and parks it until the app answers. */
    private void deliver(ServerTransaction tx, SipRequest request, AppConnection app) {
        Inbound in = new Inbound(AppConnection.newId(), tx, app, null);
        if (config.alwaysSend180() && request.isMethod("INVITE")) {
            in.localTag = TransactionLayer.randomToken(12);
            in.provisionalSent = true;
            tx.respond(withToTag(SipResponse.forRequest(request, 180), request, in.localTag).build());
        }
        String sip = text(request);
        DrachtioFrame frame = DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(tx.incoming(), sip),
                in.txnId, "", tx.incoming().local().getAddress().getHostAddress(),
                Integer.toString(tx.incoming().local().getPort()), "")).withSipMessage(sip);
        park(in);
        LOG.debug("{} {} -> {} as {}", request.method(), request.callId().orElse(""), app, in.txnId);
        app.push(frame);
        if (request.isMethod("INVITE")) {
            cdr("attempt", "network", List.of(), request);
        }
    }

    /** Carries out a request handler's decision (spec 2.6), unless the caller gave up meanwhile. */
    private void apply(HttpRouter.Decision decision, ServerTransaction tx, SipRequest request) {
        if (tx.hasFinalResponse()) {
            return;
        }
        if (decision instanceof HttpRouter.Decision.Reject r) {
            tx.respond(withToTag(SipResponse.forRequest(request, r.status()), request, null)
                    .reason(r.reason().isEmpty() ? SipResponse.reasonPhrase(r.status()) : r.reason()).build());
        } else if (decision instanceof HttpRouter.Decision.Redirect r) {
            SipResponse.Builder b = withToTag(SipResponse.forRequest(request, 302), request, null);
            r.contacts().forEach(c -> b.addHeader(HeaderNames.CONTACT, c.startsWith("<") ? c : "<" + c + ">"));
            tx.respond(b.build());
        } else if (decision instanceof HttpRouter.Decision.Proxy p) {
            proxy(tx, request, p.destinations(), p.options(), null, "", List.of());
        } else if (decision instanceof HttpRouter.Decision.RouteToTag t) {
            routes.next(request.method(), a -> a.tags().contains(t.tag()))
                    .ifPresentOrElse(app -> deliver(tx, request, app), () -> respond(tx, 480, null));
        } else if (decision instanceof HttpRouter.Decision.RouteToAddress a) {
            connector.connect(a.host(), a.port(), a.tls()).whenComplete((app, error) -> {
                if (error != null) {
                    LOG.info("cannot hand {} to the app at {}:{}: {}", request.method(), a.host(), a.port(),
                            error.getMessage());
                    respond(tx, 480, null);
                } else if (!tx.hasFinalResponse()) {
                    deliver(tx, request, app);
                }
            });
        } else if (decision instanceof HttpRouter.Decision.Failure f) {
            LOG.warn("request handler failed for {} {}: {}", request.method(), request.requestUriText(), f.why());
            respond(tx, 500, null);
        }
    }

    private void inDialogFromNetwork(ServerTransaction tx, SipRequest request) {
        ServerDialog dialog = findDialog(request);
        if (dialog == null && request.isMethod("UPDATE") && updateInEarlyDialog(tx, request)) {
            return;
        }
        if (dialog == null || !dialog.owner.isActive()) {
            if (dialog != null && request.isMethod("BYE")) {
                end(dialog);
            }
            respond(tx, 481, null);
            return;
        }
        if (sessionTimers.rejectTooSmall(tx)) {
            return;
        }
        switch (request.method()) {
            case "BYE" -> {
                end(dialog);
                cdr("stop", "network", List.of("normal-release"), request);
            }
            case "INVITE" -> dialog.inviteSeq = request.cseq().number();
            case "PRACK" -> acknowledgeReliable(dialog, request);
            default -> {
            }
        }
        Inbound in = new Inbound(AppConnection.newId(), tx, dialog.owner, dialog);
        String sip = text(request);
        DrachtioFrame frame = DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(tx.incoming(), sip),
                in.txnId, dialog.id, "")).withSipMessage(sip);
        park(in);
        dialog.owner.push(frame);
    }

    /**
     * An UPDATE in the early dialog of an INVITE the app has not answered (no reliable 1xx made that dialog
     * routable): it goes to the INVITE's app under the INVITE's transaction id; a second one while the first is
     * unanswered gets 500 (spec 3.4.7). Returns whether such an INVITE was found.
     */
    private boolean updateInEarlyDialog(ServerTransaction tx, SipRequest update) {
        String callId = update.callId().orElse("");
        String fromTag = update.from().tag().orElse("");
        String toTag = update.to().tag().orElse("");
        for (Inbound in : inbound.values()) {
            SipRequest invite = in.tx.request();
            if (!invite.isMethod("INVITE") || in.dialog != null || !callId.equals(invite.callId().orElse(""))
                    || !fromTag.equals(invite.from().tag().orElse("")) || !toTag.equals(in.localTag)) {
                continue;
            }
            synchronized (in) {
                if (in.finalSent) {
                    return false;
                }
                if (in.update != null) {
                    tx.respond(SipResponse.forRequest(update, 500).addHeader("Retry-After", "1").build());
                    return true;
                }
                in.update = tx;
            }
            String sip = text(update);
            in.app.push(DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(tx.incoming(), sip), in.txnId,
                    ServerDialog.idOf(callId, fromTag), "")).withSipMessage(sip));
            return true;
        }
        return false;
    }

    /** The app's answer to an early-dialog UPDATE, sent on the INVITE's transaction id with CSeq method UPDATE. */
    private boolean answerUpdate(AppConnection app, DrachtioFrame frame, Inbound in, AppSipMessage msg, int status) {
        ServerTransaction update;
        synchronized (in) {
            update = in.update;
            if (update == null || !msg.header(HeaderNames.CSEQ).map(c -> c.toUpperCase(Locale.ROOT).endsWith("UPDATE"))
                    .orElse(false)) {
                return false;
            }
            in.update = null;
        }
        SipRequest request = update.request();
        ListenPoint local = new ListenPoint(update.incoming().transport(), update.incoming().local());
        SipResponse.Builder b = SipResponse.forRequest(request, status);
        msg.reason().ifPresent(b::reason);
        msg.applyTo(b, RESPONSE_OWNED, localhost(local));
        if (status / 100 == 2 && msg.header(HeaderNames.CONTACT).isEmpty()) {
            b.addHeader(HeaderNames.CONTACT, contact(local));
        }
        body(b, msg);
        SipResponse response = b.build();
        update.respond(response);
        String dialogId = ServerDialog.idOf(request.callId().orElse(""), request.from().tag().orElse(""));
        String sip = text(response);
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", concat(List.of(frame.id(), "OK"),
                appMeta(sip, update.incoming().transport(), update.incoming().remote()), in.txnId, dialogId, "",
                "Msg sent:", "")).withSipMessage(sip));
        return true;
    }

    /** The dialog a request from the network belongs to: ours as UAS (keyed by its From tag) or as UAC (its To tag). */
    private ServerDialog findDialog(SipMessage request) {
        String callId = request.callId().orElse("");
        String fromTag = request.from().tag().orElse("");
        String toTag = request.to().tag().orElse("");
        ServerDialog uas = dialogs.get(ServerDialog.idOf(callId, fromTag));
        if (uas != null && uas.uas && uas.localTag.equals(toTag)) {
            return uas;
        }
        ServerDialog uac = dialogs.get(ServerDialog.idOf(callId, toTag));
        return uac != null && !uac.uas && uac.remoteTag.equals(fromTag) ? uac : null;
    }

    private void park(Inbound in) {
        inbound.put(in.txnId, in);
        inboundByTx.put(in.tx, in);
        in.park = timer.schedule(() -> parkExpired(in), config.parkTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void parkExpired(Inbound in) {
        synchronized (in) {
            if (in.finalSent) {
                return;
            }
            unpark(in);
        }
        // the dialog of a BYE is gone already: confirm it rather than leave the peer retransmitting
        int status = in.tx.request().isMethod("BYE") ? 200 : 408;
        LOG.debug("{} got no answer from {} within {} ms; answering {}", in.tx.request().method(), in.app,
                config.parkTimeout().toMillis(), status);
        respond(in.tx, status, in.localTag);
        if (in.early != null) {
            end(in.early);
        }
    }

    /** Marks an inbound request answered and forgets it; callers hold its lock. */
    private void unpark(Inbound in) {
        in.finalSent = true;
        inbound.remove(in.txnId, in);
        inboundByTx.remove(in.tx, in);
        if (in.park != null) {
            in.park.cancel(false);
        }
    }

    @Override
    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        SipRequest request = cancel.request();
        ProxyOperation op = invite.map(proxied::get).orElse(null);
        if (op != null) {
            respond(cancel, 200, null);
            op.cancel();
            return;
        }
        Inbound in = invite.map(inboundByTx::get).orElse(null);
        if (in != null) {
            synchronized (in) {
                if (!in.finalSent) {
                    unpark(in);
                    respond(cancel, 200, null);
                    SipResponse terminated = respond(in.tx, 487, in.localTag);
                    String dialogId = in.provisionalSent ? ServerDialog.idOf(request.callId().orElse(""),
                            request.from().tag().orElse("")) : "";
                    if (in.early != null) {
                        end(in.early);
                    }
                    String sip = text(request);
                    in.app.push(DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(cancel.incoming(), sip),
                            in.txnId, dialogId, "")).withSipMessage(sip));
                    cdr("stop", "application", List.of("call-canceled"), terminated);
                    return;
                }
            }
        }
        ServerDialog answered = invite.isPresent() ? findUasDialog(request) : null;
        if (answered != null && answered.ackWait != null) {
            // CANCEL after our 2xx and before the ACK: the call cannot be canceled any more, so end it
            respond(cancel, 481, null);
            teardown(answered, "CANCEL after 200 OK");
            return;
        }
        respond(cancel, invite.isPresent() ? 200 : 481, null);
        if (invite.isPresent() && !invite.get().hasFinalResponse()) {
            // canceled while a request handler was still deciding where it goes
            respond(invite.get(), 487, null);
        }
    }

    private ServerDialog findUasDialog(SipRequest request) {
        ServerDialog d = dialogs.get(ServerDialog.idOf(request.callId().orElse(""), request.from().tag().orElse("")));
        return d != null && d.uas ? d : null;
    }

    @Override
    public void onAck(IncomingMessage incoming) {
        SipRequest ack = (SipRequest) incoming.message();
        if (ack.to().tag().isEmpty()) {
            return;
        }
        try {
            if (!ack.routes().isEmpty() && isOwnUri(ack.routes().get(0).uri())) {
                forwardAck(ack);
                return;
            }
        } catch (SipParseException e) {
            return;
        }
        ServerDialog dialog = findDialog(ack);
        if (dialog == null) {
            return;
        }
        long seq = ack.cseq().number();
        synchronized (dialog) {
            AckWait waiting = dialog.ackWait;
            if (waiting != null && waiting.response().cseq().number() == seq) {
                waiting.acknowledge();
                dialog.ackWait = null;
            }
            if (seq <= dialog.ackedSeq) {
                return; // a retransmitted ACK
            }
            dialog.ackedSeq = seq;
        }
        if (dialog.owner.isActive()) {
            String sip = text(ack);
            dialog.owner.push(DrachtioFrame.of(AppConnection.newId(), "sip", concat(networkMeta(incoming, sip),
                    AppConnection.newId(), dialog.id, "")).withSipMessage(sip));
        }
    }

    /** The ACK of a 2xx in a dialog this server Record-Routed as a proxy: forwarded statelessly to the next hop. */
    private void forwardAck(SipRequest ack) {
        SipRequest forwarded = withoutTopRoute(ack);
        Uri next = forwarded.routes().isEmpty() ? forwarded.requestUri() : forwarded.routes().get(0).uri();
        if (next instanceof SipUri sip) {
            Destination.ofLiteral(sip).ifPresentOrElse(d -> stack.transactions().sendStateless(forwarded, d),
                    () -> resolver.execute(() -> {
                        try {
                            stack.transactions().sendStateless(forwarded, Destination.resolve(sip));
                        } catch (UnknownHostException e) {
                            LOG.debug("cannot forward an ACK to {}: {}", sip, e.getMessage());
                        }
                    }));
        }
    }

    @Override
    public void onStrayResponse(IncomingMessage incoming) {
        SipResponse response = (SipResponse) incoming.message();
        if (!response.isSuccess() || !response.cseq().method().equals("INVITE")) {
            forwardStray(response);
            return;
        }
        ServerDialog dialog = dialogs.get(ServerDialog.idOf(response.callId().orElse(""), response.from().tag().orElse("")));
        if (dialog != null && !dialog.uas) {
            resendAck(dialog, response);
        }
    }

    /** A response no transaction wants: forwarded statelessly to the next Via when there is one (spec 5.1 step 8). */
    private void forwardStray(SipResponse response) {
        List<Via> vias = response.vias();
        if (vias.size() < 2) {
            return;
        }
        Via next = vias.get(1);
        String host = next.received().orElse(next.host());
        int port = next.rport().orElse(next.port().orElse(5060));
        Optional<java.net.InetAddress> address = Destination.ipLiteral(host);
        if (address.isEmpty()) {
            return;
        }
        List<String> rest = response.headers().values(HeaderNames.VIA);
        SipResponse.Builder b = response.toBuilder().removeHeader(HeaderNames.VIA);
        for (int i = rest.size() - 1; i >= 1; i--) {
            b.addHeaderFirst(HeaderNames.VIA, rest.get(i));
        }
        Transport transport;
        try {
            transport = Transport.of(next.transport());
        } catch (IllegalArgumentException e) {
            return;
        }
        stack.transport().send(b.build(), new Destination(transport, new InetSocketAddress(address.get(), port)));
    }

    private void resendAck(ServerDialog dialog, SipResponse ok) {
        if (dialog != null && dialog.ack != null && dialog.ack.cseq().number() == ok.cseq().number()) {
            stack.transport().send(dialog.ack, dialog.destination());
        }
    }

    // ---- app → network ----------------------------------------------------------------------------------------

    /** A {@code sip} frame from an app (spec 3.3); runs on the app connection's event loop. */
    void onAppSip(AppConnection app, DrachtioFrame frame) {
        String txnId = frame.token(2);
        String dialogId = frame.token(3);
        if (frame.sipMessage().isEmpty()) {
            nok(app, frame, "sip frame without a SIP message");
            return;
        }
        AppSipMessage msg = AppSipMessage.parse(frame.sipMessage().get(), config.preservedHeaderNames());
        try {
            if (msg.isResponse()) {
                if (txnId.isEmpty()) {
                    nok(app, frame, "transaction id missing");
                } else {
                    respondForApp(app, frame, txnId, msg);
                }
            } else if (!dialogId.isEmpty()) {
                requestInDialog(app, frame, dialogId, msg);
            } else if (!txnId.isEmpty()) {
                if (msg.method().equals("CANCEL")) {
                    cancelForApp(app, frame, txnId, msg);
                } else {
                    nok(app, frame, "a " + msg.method() + " outside a dialog cannot name a transaction");
                }
            } else {
                newRequest(app, frame, msg, frame.token(4));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not act on a sip frame from {}", app, e);
            nok(app, frame, "Server error: " + e.getMessage());
        }
    }

    /** A {@code proxy} frame (spec 3.5): the app hands a parked request to the stateful proxy. */
    void onAppProxy(AppConnection app, DrachtioFrame frame) {
        if (frame.tokens().size() < 10 || frame.token(9).isEmpty()) {
            app.reply(DrachtioFrame.of(AppConnection.newId(), "response", frame.id(), "NO",
                    "proxy needs a transaction id, six options and at least one destination"));
            return;
        }
        String txnId = frame.token(2);
        Inbound in = inbound.get(txnId);
        if (in == null) {
            nok(app, frame, "Unknown transaction id: " + txnId);
            return;
        }
        SipRequest request = in.tx.request();
        synchronized (in) {
            if (in.finalSent || in.provisionalSent) {
                nok(app, frame, "Unknown transaction id: " + txnId);
                return;
            }
            unpark(in);
        }
        List<AppSipMessage.Line> extra = frame.sipMessage()
                .map(m -> AppSipMessage.parse(m, config.preservedHeaderNames()).headers().stream()
                        .filter(l -> !RESPONSE_OWNED.contains(l.name()) && !l.name().equals(HeaderNames.MAX_FORWARDS))
                        .toList())
                .orElse(List.of());
        ProxyOperation.Options options = new ProxyOperation.Options(frame.token(3).equals("remainInDialog"),
                frame.token(4).equals("fullResponse"), frame.token(5).equals("followRedirects"),
                frame.token(6).equals("simultaneous"), ProxyOperation.millis(frame.token(7)));
        if (!proxy(in.tx, request, frame.tokens().subList(9, frame.tokens().size()), options, app, frame.id(), extra)) {
            nok(app, frame, "Rejected with 483 Too Many Hops due to Max-Forwards value of 0");
        }
    }

    /**
     * Proxies a request received from the network (spec 5.9): preloaded Routes removed, Max-Forwards decremented
     * (483 when it is 0: returns false), extra header lines added, the Request-URI replaced by each target only when
     * it names this server.
     */
    private boolean proxy(ServerTransaction tx, SipRequest request, List<String> targets, ProxyOperation.Options options,
                          AppConnection app, String frameId, List<AppSipMessage.Line> extra) {
        int maxForwards = request.maxForwards().orElse(71);
        if (maxForwards <= 0) {
            respond(tx, 483, null);
            return false;
        }
        SipRequest.Builder base = request.toBuilder().removeHeader(HeaderNames.ROUTE)
                .setHeader(HeaderNames.MAX_FORWARDS, Integer.toString(Math.min(maxForwards, 71) - 1));
        extra.forEach(l -> base.addHeader(l.name(), l.value()));
        ProxyOperation op = new ProxyOperation(this, tx, base.build(), isOwnUri(request.requestUri()), targets, options,
                app, frameId, this::proxyDone);
        proxied.put(tx, op);
        if (request.isMethod("INVITE")) {
            cdr("attempt", "application", List.of(), request);
        }
        op.start();
        return true;
    }

    private void proxyDone(ProxyOperation op) {
        proxied.remove(op.upstream(), op);
    }

    /**
     * An in-dialog request whose top Route names this server: a dialog it Record-Routed as a proxy. The Route is
     * removed and the request forwarded, statefully, to the next Route or the Request-URI (spec 5.1 step 4).
     */
    private boolean forwardRecordRouted(ServerTransaction tx, SipRequest request) {
        List<NameAddress> routes;
        try {
            routes = request.routes();
        } catch (SipParseException e) {
            return false;
        }
        if (routes.isEmpty() || !isOwnUri(routes.get(0).uri())) {
            return false;
        }
        SipRequest forwarded = withoutTopRoute(request);
        Uri next = forwarded.routes().isEmpty() ? forwarded.requestUri() : forwarded.routes().get(0).uri();
        ProxyOperation op = new ProxyOperation(this, tx, forwarded, false, List.of(next.toString()),
                new ProxyOperation.Options(false, false, false, false, 0), null, "", this::proxyDone);
        proxied.put(tx, op);
        op.start();
        return true;
    }

    private static SipRequest withoutTopRoute(SipRequest request) {
        int maxForwards = request.maxForwards().orElse(71);
        return request.toBuilder().removeFirstHeader(HeaderNames.ROUTE)
                .setHeader(HeaderNames.MAX_FORWARDS, Integer.toString(Math.max(0, Math.min(maxForwards, 71) - 1))).build();
    }

    /** Whether a URI names one of this server's SIP addresses (its IP literal and port, or the external IP). */
    boolean isOwnUri(Uri uri) {
        if (!(uri instanceof SipUri sip)) {
            return false;
        }
        if (config.externalIp().filter(ip -> ip.equals(sip.host())).isPresent()) {
            return true;
        }
        try {
            return Destination.ofLiteral(sip).filter(this::isOwnAddress).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code host:port[;transport=tcp]} of the listen point used toward {@code d}, for Record-Route and Path. */
    String hostFor(Destination d) {
        ListenPoint lp = stack.transport().listenPoint(d.transport(), d.address()).orElseThrow();
        return advertisedHost(lp) + ":" + lp.address().getPort()
                + (lp.transport() == Transport.UDP ? "" : ";transport=" + proto(lp.transport()));
    }

    SipStack stack() {
        return stack;
    }

    Optional<SipUri> outboundProxy() {
        return config.outboundProxy();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService resolver() {
        return resolver;
    }

    private void respondForApp(AppConnection app, DrachtioFrame frame, String txnId, AppSipMessage msg) {
        Inbound in = inbound.get(txnId);
        if (in == null) {
            nok(app, frame, "Response not sent due to unknown transaction");
            return;
        }
        int status = msg.status();
        if (status < 0) {
            nok(app, frame, "invalid status line: " + msg.startLine());
            return;
        }
        if (answerUpdate(app, frame, in, msg, status)) {
            return;
        }
        SipRequest request = in.tx.request();
        String method = request.method();
        boolean invite = method.equals("INVITE");
        boolean creating = in.dialog == null && (invite || method.equals("SUBSCRIBE"));
        boolean reliable = invite && status > 100 && status < 200 && msg.header(HeaderNames.REQUIRE)
                .map(r -> r.toLowerCase(Locale.ROOT).contains("100rel")).orElse(false);
        if (reliable && !offers100rel(request)) {
            nok(app, frame, "Remote endpoint does not support 100rel");
            return;
        }
        synchronized (in) {
            if (in.finalSent) {
                nok(app, frame, "Response not sent due to unknown transaction");
                return;
            }
            if (request.to().tag().isEmpty() && status > 100 && in.localTag == null) {
                in.localTag = creating ? msg.header(HeaderNames.TO).flatMap(ServerCore::tagOf)
                        .orElseGet(() -> TransactionLayer.randomToken(12)) : TransactionLayer.randomToken(12);
            }
            ListenPoint local = new ListenPoint(in.tx.incoming().transport(), in.tx.incoming().local());
            SipResponse.Builder b = withToTag(SipResponse.forRequest(request, status), request, in.localTag);
            msg.reason().ifPresent(b::reason);
            if (creating && status > 100 && status < 300) {
                request.headers().all(HeaderNames.RECORD_ROUTE).forEach(rr -> b.addHeader(HeaderNames.RECORD_ROUTE, rr));
            }
            msg.applyTo(b, RESPONSE_OWNED, localhost(local));
            boolean needsContact = (creating || (in.dialog != null && invite)) && (status / 100 == 2 || reliable);
            if (needsContact && msg.header(HeaderNames.CONTACT).isEmpty()) {
                b.addHeader(HeaderNames.CONTACT, in.dialog != null ? in.dialog.localContact : contact(local));
            }
            body(b, msg);
            ServerDialog dialog = in.dialog;
            if (creating && (status / 100 == 2 || reliable)) {
                dialog = in.early != null ? in.early : uasDialog(in, local, b);
                in.early = dialog;
                dialogs.put(dialog.id, dialog);
            }
            if (reliable) {
                b.setHeader("RSeq", Long.toString(dialog.nextRseq));
            }
            boolean refreshes = status / 100 == 2 && (invite || method.equals("UPDATE")) && dialog != null;
            if (refreshes) {
                sessionTimers.headerFor2xx(request, msg).ifPresent(se -> {
                    b.addHeader("Session-Expires", se);
                    if (SessionTimers.supportsTimer(request) && msg.header(HeaderNames.REQUIRE).isEmpty()) {
                        b.addHeader(HeaderNames.REQUIRE, "timer");
                    }
                });
            }
            SipResponse response = b.build();
            if (status >= 200) {
                unpark(in);
            } else {
                in.provisionalSent = true;
            }
            boolean okToInvite = status / 100 == 2 && invite;
            if (okToInvite) {
                awaitAck(dialog, response, in.tx.incoming()); // before the 2xx leaves: its ACK may come back at once
            }
            in.tx.respond(response);
            if (refreshes) {
                if (response.bodyLength() > 0) {
                    dialog.localSdp = response.bodyAsString();
                }
                sessionTimers.armAfterSent(dialog, response);
            }
            if (reliable) {
                retransmitReliable(dialog, response, in.tx.incoming());
            } else if (creating && status >= 300 && in.early != null) {
                end(in.early);
            }
            String dialogId = creating && status > 100 ? ServerDialog.idOf(request.callId().orElseThrow(),
                    request.from().tag().orElse("")) : in.dialog != null ? in.dialog.id : "";
            String sip = text(response);
            app.reply(DrachtioFrame.of(AppConnection.newId(), "response", concat(List.of(frame.id(), "OK"),
                    appMeta(sip, in.tx.incoming().transport(), in.tx.incoming().remote()), txnId, dialogId, "",
                    "Msg sent:", "")).withSipMessage(sip));
            if (invite && in.dialog == null && status >= 200) {
                cdr(status < 300 ? "start" : "stop", "application", List.of(status < 300 ? "uas" : "call-rejected"),
                        response);
            }
        }
    }

    private static boolean offers100rel(SipRequest request) {
        for (String name : List.of(HeaderNames.SUPPORTED, HeaderNames.REQUIRE)) {
            for (String v : request.headers().values(name)) {
                if (v.strip().equalsIgnoreCase("100rel")) {
                    return true;
                }
            }
        }
        return false;
    }

    private ServerDialog uasDialog(Inbound in, ListenPoint local, SipResponse.Builder response) {
        SipRequest request = in.tx.request();
        SipResponse built = response.build();
        String contact = built.headers().first(HeaderNames.CONTACT).orElseGet(() -> contact(local));
        Uri target = contactUri(request).orElse(request.requestUri());
        return new ServerDialog(ServerDialog.idOf(request.callId().orElseThrow(), request.from().tag().orElse("")),
                true, request.callId().orElseThrow(), in.localTag, request.from().tag().orElse(""),
                built.headers().first(HeaderNames.TO).orElseThrow(), request.headers().first(HeaderNames.FROM).orElseThrow(),
                contact, target, request.headers().values(HeaderNames.RECORD_ROUTE),
                new Destination(in.tx.incoming().transport(), in.tx.incoming().remote()),
                ThreadLocalRandom.current().nextLong(1, 1 << 20), in.app);
    }

    /** RFC 3261 13.3.1.4: the 2xx goes out again (over UDP) until the ACK; after 64 T1 the call ends. */
    private void awaitAck(ServerDialog dialog, SipResponse ok, IncomingMessage request) {
        synchronized (dialog) {
            if (dialog.ackWait != null) {
                dialog.ackWait.acknowledge(); // the 2xx of a later INVITE replaces it
            }
            dialog.ackWait = AckWait.start(stack, timer, request, ok, AckWait.Resend.UNRELIABLE_ONLY,
                    () -> ackTimedOut(dialog, ok));
        }
    }

    private void ackTimedOut(ServerDialog dialog, SipResponse ok) {
        synchronized (dialog) {
            if (dialog.ackWait != null && dialog.ackWait.response() == ok) {
                dialog.ackWait = null;
            }
        }
        LOG.debug("no ACK for the 2xx of {}; sending BYE", dialog);
        teardown(dialog, "ACK timeout");
    }

    /** RFC 3262: a reliable provisional goes out again at T1, doubling, until its PRACK or 64 T1. */
    private void retransmitReliable(ServerDialog dialog, SipResponse provisional, IncomingMessage request) {
        long rseq = dialog.nextRseq++;
        dialog.pendingRseq = rseq;
        scheduleReliable(dialog, provisional, request, rseq, stack.transactions().timers().t1().toMillis(), 0);
    }

    private void scheduleReliable(ServerDialog dialog, SipResponse provisional, IncomingMessage request, long rseq,
                                  long interval, long elapsed) {
        long limit = stack.transactions().timers().transactionTimeout().toMillis();
        if (elapsed >= limit || request.transport().isReliable()) {
            return;
        }
        dialog.reliableRetransmission = timer.schedule(() -> {
            if (dialog.pendingRseq == rseq && !dialog.ended) {
                stack.transport().sendResponse(provisional, request);
                scheduleReliable(dialog, provisional, request, rseq, Math.min(interval * 2,
                        stack.transactions().timers().t2().toMillis()), elapsed + interval);
            }
        }, interval, TimeUnit.MILLISECONDS);
    }

    private void acknowledgeReliable(ServerDialog dialog, SipRequest prack) {
        String[] rack = prack.header("RAck").orElse("").strip().split("\\s+");
        if (rack.length > 0 && rack[0].equals(Long.toString(dialog.pendingRseq))) {
            dialog.pendingRseq = -1;
            ScheduledFuture<?> t = dialog.reliableRetransmission;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private void newRequest(AppConnection app, DrachtioFrame frame, AppSipMessage msg, String routeUri) {
        String uri = msg.requestUri();
        if (msg.method().isEmpty() || uri.isEmpty()) {
            nok(app, frame, "invalid request-uri: " + msg.startLine());
            return;
        }
        if (msg.hasBody() && msg.header(HeaderNames.CONTENT_TYPE).isEmpty() && !isSdp(msg.body())) {
            nok(app, frame, "missing content-type");
            return;
        }
        SipUri hop;
        try {
            Uri target = Uri.parse(uri);
            if (target instanceof SipUri sipTarget && config.localDomain()
                    .filter(d -> sipTarget.host().equalsIgnoreCase(d) || sipTarget.host().toLowerCase(Locale.ROOT).endsWith("." + d))
                    .isPresent()) {
                nok(app, frame, "can not send request to myself");
                return;
            }
            Uri next = !routeUri.isEmpty() ? Uri.parse(routeUri)
                    : config.outboundProxy().<Uri>map(p -> p).orElse(target);
            if (!(next instanceof SipUri sip)) {
                nok(app, frame, "requested protocol/transport not available");
                return;
            }
            hop = sip;
        } catch (SipParseException e) {
            nok(app, frame, "invalid request-uri: " + msg.startLine());
            return;
        }
        Optional<Destination> literal;
        try {
            literal = Destination.ofLiteral(hop);
        } catch (IllegalArgumentException e) {
            nok(app, frame, "requested protocol/transport not available");
            return;
        }
        if (literal.isPresent()) {
            sendNew(app, frame, msg, literal.get());
            return;
        }
        resolver.execute(() -> {
            try {
                Destination d = Destination.resolve(hop);
                app.execute(() -> sendNew(app, frame, msg, d));
            } catch (UnknownHostException | IllegalArgumentException e) {
                app.execute(() -> nok(app, frame, "cannot resolve " + hop.host()));
            }
        });
    }

    private void sendNew(AppConnection app, DrachtioFrame frame, AppSipMessage msg, Destination destination) {
        if (isOwnAddress(destination)) {
            nok(app, frame, "can not send request to myself");
            return;
        }
        Optional<ListenPoint> local = stack.transport().listenPoint(destination.transport(), destination.address());
        if (local.isEmpty()) {
            nok(app, frame, "requested protocol/transport not available");
            return;
        }
        String method = msg.method();
        String host = advertisedHost(local.get()) + ":" + local.get().address().getPort();
        SipRequest.Builder b = SipRequest.builder(method, msg.requestUri())
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, "<sip:" + host + ">")
                .addHeader(HeaderNames.TO, "<" + msg.requestUri() + ">")
                .addHeader(HeaderNames.CALL_ID, java.util.UUID.randomUUID().toString())
                .addHeader(HeaderNames.CSEQ, ThreadLocalRandom.current().nextLong(1, 1 << 24) + " " + method);
        boolean initial = method.equals("INVITE") || method.equals("SUBSCRIBE");
        if (initial) {
            b.addHeader(HeaderNames.CONTACT, contact(local.get()));
        }
        msg.applyTo(b, Set.of(), localhost(local.get()));
        body(b, msg);
        SipRequest draft = b.build();
        NameAddress from = draft.from();
        if (from.tag().isEmpty()) {
            draft = draft.toBuilder().setHeader(HeaderNames.FROM, from.withTag(TransactionLayer.randomToken(12)).toString())
                    .build();
        }
        String dialogId = initial ? ServerDialog.idOf(draft.callId().orElseThrow(), draft.from().tag().orElseThrow()) : "";
        Outbound out = new Outbound(AppConnection.newId(), app, dialogId, null, destination);
        send(app, frame, out, draft);
        if (method.equals("INVITE")) {
            cdr("attempt", "application", List.of(), out.tx.request());
        }
    }

    /** Sends an app's request in a client transaction and tells the app it went out (before any response). */
    private void send(AppConnection app, DrachtioFrame frame, Outbound out, SipRequest request) {
        outbound.put(out.txnId, out);
        try {
            out.tx = stack.transactions().sendRequest(request, out.destination, new AppResponses(out));
        } catch (IllegalStateException e) {
            outbound.remove(out.txnId);
            nok(app, frame, "requested protocol/transport not available");
            return;
        }
        SipRequest sent = out.tx.request();
        String sip = text(sent);
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", concat(List.of(frame.id(), "OK"),
                appMeta(sip, out.tx.destination().transport(), out.tx.destination().address()), out.txnId,
                "Msg sent:", "")).withSipMessage(sip));
    }

    private void requestInDialog(AppConnection app, DrachtioFrame frame, String dialogId, AppSipMessage msg) {
        ServerDialog dialog = dialogs.get(dialogId);
        String method = msg.method();
        if (method.equals("ACK")) {
            if (dialog == null || dialog.uas) {
                nok(app, frame, "Server error: ACK for non-success final response is automatically generated by server");
            } else {
                ackForApp(app, frame, dialog, msg);
            }
            return;
        }
        if (dialog == null) {
            nok(app, frame, "Server error: unable to find dialog for dialog id provided");
            return;
        }
        String uri = msg.requestUri().isEmpty() || msg.requestUri().equals(PLACEHOLDER)
                ? dialog.remoteTarget.toString() : msg.requestUri();
        SipRequest.Builder b = dialog.request(method, uri, -1);
        Destination destination = dialog.destination();
        ListenPoint local = stack.transport().listenPoint(destination.transport(), destination.address())
                .orElse(null);
        if (local == null) {
            nok(app, frame, "requested protocol/transport not available");
            return;
        }
        if (Set.of("INVITE", "SUBSCRIBE", "REFER").contains(method)) {
            b.addHeader(HeaderNames.CONTACT, dialog.localContact);
        }
        msg.applyTo(b, Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID), localhost(local));
        body(b, msg);
        SipRequest request = b.build();
        if (method.equals("INVITE")) {
            dialog.inviteSeq = request.cseq().number();
        }
        if (method.equals("BYE")) {
            cdr("stop", "application", List.of("normal-release"), request);
        }
        send(app, frame, new Outbound(AppConnection.newId(), app, dialog.id, dialog, destination), request);
    }

    private void ackForApp(AppConnection app, DrachtioFrame frame, ServerDialog dialog, AppSipMessage msg) {
        SipRequest.Builder b = dialog.request("ACK", dialog.remoteTarget.toString(), dialog.inviteSeq);
        msg.applyTo(b, Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID, HeaderNames.CSEQ, HeaderNames.CONTACT),
                UnaryOperator.identity());
        body(b, msg);
        Destination destination = dialog.destination();
        SipRequest sent = stack.transactions().sendStateless(b.build(), destination);
        dialog.ack = sent;
        String sip = text(sent);
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", concat(List.of(frame.id(), "OK"),
                appMeta(sip, destination.transport(), destination.address()), AppConnection.newId(), "Msg sent:", ""))
                .withSipMessage(sip));
        if (dialog.canceledByApp) {
            teardown(dialog, "ACK-BYE due to cancel race condition");
        }
    }

    private void cancelForApp(AppConnection app, DrachtioFrame frame, String txnId, AppSipMessage msg) {
        Outbound out = outbound.get(txnId);
        ClientTransaction invite = out == null ? null : out.tx;
        if (invite == null || !invite.request().isMethod("INVITE") || invite.hasFinalResponse()) {
            nok(app, frame, "unable to cancel unknown transaction id: " + txnId);
            return;
        }
        Headers.Builder extra = Headers.builder();
        msg.headers().stream().filter(l -> !CANCEL_OWNED.contains(l.name()))
                .forEach(l -> extra.add(l.name(), l.value()));
        out.canceled = true;
        ClientTransaction cancel = stack.transactions().sendCancel(invite, extra.build(), IGNORED);
        SipRequest sent = cancel.request();
        String sip = text(sent);
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", concat(List.of(frame.id(), "OK"),
                appMeta(sip, invite.destination().transport(), invite.destination().address()), AppConnection.newId(),
                "Msg sent:", "")).withSipMessage(sip));
    }

    /** What happens to a request an app sent: every response but 100 goes back to that app. */
    private final class AppResponses implements ResponseListener {
        private final Outbound out;

        AppResponses(Outbound out) {
            this.out = out;
        }

        @Override
        public void onResponse(ClientTransaction tx, SipResponse response) {
            int status = response.status();
            if (status == 100) {
                return;
            }
            SipRequest request = tx.request();
            String method = request.method();
            ServerDialog dialog = out.dialog;
            if (method.equals("INVITE") && status / 100 == 2) {
                if (out.answered) {
                    ServerDialog first = dialog != null ? dialog : dialogs.get(out.dialogId);
                    String tag = response.to().tag().orElse("");
                    if (first != null && out.dialog == null && !tag.equals(first.remoteTag)) {
                        endFork(out, tx, response);
                    } else {
                        resendAck(first, response); // a retransmission
                    }
                    return;
                }
                out.answered = true;
            }
            if (!out.dialogId.isEmpty() && out.dialog == null && response.to().tag().isPresent()
                    && (status / 100 == 2 || (status > 100 && status < 200 && response.header("RSeq").isPresent()))) {
                dialog = uacDialog(out, tx, response);
            }
            if (dialog != null && method.equals("BYE") && status >= 200 && status != 401 && status != 407) {
                end(dialog);
            }
            if (dialog != null && status / 100 == 2 && (method.equals("INVITE") || method.equals("UPDATE"))) {
                if (request.bodyLength() > 0) {
                    dialog.localSdp = request.bodyAsString();
                }
                sessionTimers.armAfterReceived(dialog, response);
            }
            if (status >= 200) {
                outbound.remove(out.txnId, out);
            }
            if (method.equals("INVITE") && out.dialog == null) {
                if (status / 100 == 2) {
                    cdr("start", "network", List.of("uac"), response);
                } else if (status >= 300) {
                    cdr("stop", "network", List.of("call-rejected"), response);
                }
            }
            if (!out.app.isActive()) {
                if (dialog != null && status / 100 == 2 && method.equals("INVITE")) {
                    // the app is gone: confirm the call and end it at once, so no leg is left up
                    dialog.ack = stack.transactions().sendStateless(dialog.request("ACK", dialog.remoteTarget.toString(),
                            request.cseq().number()).build(), dialog.destination());
                    teardown(dialog, "application disconnected");
                }
                return;
            }
            String dialogId = out.dialog != null ? out.dialog.id : out.dialogId;
            InetSocketAddress from = out.destination.address();
            String sip = text(response);
            out.app.push(DrachtioFrame.of(AppConnection.newId(), "sip", concat(List.of("network",
                    Integer.toString(utf8Length(sip)), proto(out.destination.transport()),
                    from.getAddress().getHostAddress(), Integer.toString(from.getPort()), now()), out.txnId, dialogId, ""))
                    .withSipMessage(sip));
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            onResponse(tx, withToTag(SipResponse.forRequest(tx.request(), 408), tx.request(), null).build());
        }

        @Override
        public void onTransportError(ClientTransaction tx, TransportError error) {
            LOG.debug("could not send {} to {}: {}", tx.request().method(), tx.destination(), error);
            onResponse(tx, withToTag(SipResponse.forRequest(tx.request(), 503), tx.request(), null).build());
        }
    }

    /** The UAC dialog a 2xx or reliable 1xx to an app's INVITE/SUBSCRIBE creates, or confirms when it exists. */
    private ServerDialog uacDialog(Outbound out, ClientTransaction tx, SipResponse response) {
        SipRequest request = tx.request();
        synchronized (out) {
            ServerDialog existing = dialogs.get(out.dialogId);
            if (existing != null) {
                if (response.isSuccess()) {
                    existing.remoteTarget = contactUri(response).orElse(existing.remoteTarget);
                }
                return existing;
            }
            ServerDialog dialog = newUacDialog(out, tx, response);
            dialog.inviteSeq = request.cseq().number();
            dialog.canceledByApp = out.canceled;
            dialogs.put(dialog.id, dialog);
            return dialog;
        }
    }

    private static ServerDialog newUacDialog(Outbound out, ClientTransaction tx, SipResponse response) {
        SipRequest request = tx.request();
        List<String> routeSet = new ArrayList<>(response.headers().values(HeaderNames.RECORD_ROUTE));
        Collections.reverse(routeSet);
        return new ServerDialog(out.dialogId, false, request.callId().orElseThrow(),
                request.from().tag().orElseThrow(), response.to().tag().orElseThrow(),
                request.headers().first(HeaderNames.FROM).orElseThrow(), response.headers().first(HeaderNames.TO).orElseThrow(),
                request.headers().first(HeaderNames.CONTACT).orElse(""), contactUri(response).orElse(request.requestUri()),
                routeSet, out.destination, request.cseq().number(), out.app);
    }

    /**
     * A 2xx from a second fork of an INVITE whose first 2xx already made the dialog: that fork is ACKed and hung up
     * at once (RFC 3261 13.2.2.4), once per fork; the app only ever sees the first.
     */
    private void endFork(Outbound out, ClientTransaction tx, SipResponse response) {
        if (!out.endedForks.add(response.to().tag().orElse(""))) {
            return;
        }
        ServerDialog fork = newUacDialog(out, tx, response);
        stack.transactions().sendStateless(fork.request("ACK", fork.remoteTarget.toString(), tx.request().cseq().number())
                .build(), fork.destination());
        stack.transactions().sendRequest(fork.request("BYE", fork.remoteTarget.toString(), -1)
                .addHeader("Reason", "SIP ;cause=200 ;text=\"another fork answered first\"").build(), fork.destination(), IGNORED);
    }

    // ---- teardown ----------------------------------------------------------------------------------------------

    /** Forgets a dialog and stops its timers. */
    private void end(ServerDialog dialog) {
        dialog.ended = true;
        dialog.stopTimers();
        dialogs.remove(dialog.id, dialog);
    }

    /**
     * Ends a dialog from the server's side: BYE to the peer with a Reason, and the owning app (if still there) is
     * told with an unsolicited BYE frame (spec 3.4.8).
     */
    void teardown(ServerDialog dialog, String reason) {
        end(dialog);
        SipRequest bye = dialog.request("BYE", dialog.remoteTarget.toString(), -1)
                .addHeader("Reason", "SIP ;cause=200 ;text=\"" + reason + "\"").build();
        Destination destination = dialog.destination();
        ClientTransaction tx = stack.transactions().sendRequest(bye, destination, IGNORED);
        cdr("stop", "application", List.of(reason.equals("ACK timeout") ? "ack-timeout" : "system-initiated-termination"),
                tx.request());
        if (dialog.owner.isActive()) {
            String sip = text(tx.request());
            dialog.owner.push(DrachtioFrame.of(AppConnection.newId(), "sip", concat(appMeta(sip,
                    destination.transport(), destination.address()), "unsolicited", dialog.id, ""))
                    .withSipMessage(sip));
        }
    }

    /**
     * An app went away. drachtio-server would leave its calls hanging (spec 5.12); here every request it had not
     * answered gets 480, its pending INVITEs are canceled, and its dialogs end with BYE.
     */
    void onAppGone(AppConnection app) {
        connectedApps.remove(app);
        routes.removeAll(app);
        for (Inbound in : List.copyOf(inbound.values())) {
            if (in.app != app) {
                continue;
            }
            synchronized (in) {
                if (in.finalSent) {
                    continue;
                }
                unpark(in);
            }
            respond(in.tx, 480, in.localTag);
            if (in.early != null) {
                end(in.early);
            }
        }
        for (Outbound out : List.copyOf(outbound.values())) {
            ClientTransaction tx = out.tx;
            if (out.app == app && tx != null && tx.request().isMethod("INVITE") && !tx.hasFinalResponse()) {
                stack.transactions().sendCancel(tx, IGNORED);
            }
        }
        for (ServerDialog dialog : List.copyOf(dialogs.values())) {
            if (dialog.owner == app) {
                teardown(dialog, "application disconnected");
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static final ResponseListener IGNORED = new ResponseListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }

        @Override
        public void onTransportError(ClientTransaction transaction, TransportError error) {
        }
    };

    /** Sends a final response the server decides on its own; returns it. */
    SipResponse respond(ServerTransaction tx, int status, String localTag) {
        SipResponse response = withToTag(SipResponse.forRequest(tx.request(), status), tx.request(), localTag).build();
        try {
            tx.respond(response);
        } catch (IllegalStateException e) {
            LOG.debug("{} already answered: {}", tx.request().method(), e.getMessage());
        }
        return response;
    }

    static SipResponse.Builder withToTag(SipResponse.Builder b, SipRequest request, String tag) {
        if (request.to().tag().isEmpty() && !request.isMethod("CANCEL")) {
            b.setHeader(HeaderNames.TO, request.to().withTag(tag != null ? tag : TransactionLayer.randomToken(12)).toString());
        }
        return b;
    }

    private static Optional<String> tagOf(String nameAddress) {
        try {
            return NameAddress.parse(nameAddress).tag();
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    static Optional<Uri> contactUri(SipMessage message) {
        try {
            List<NameAddress> contacts = message.contacts();
            return contacts.isEmpty() ? Optional.empty() : Optional.of(contacts.get(0).uri());
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** The body, with Content-Type {@code application/sdp} when the app left it out of an SDP body. */
    private static void body(SipMessage.Builder<?> b, AppSipMessage msg) {
        if (!msg.hasBody()) {
            return;
        }
        b.body(msg.body());
        if (msg.header(HeaderNames.CONTENT_TYPE).isEmpty() && isSdp(msg.body())) {
            b.setHeader(HeaderNames.CONTENT_TYPE, "application/sdp");
        }
    }

    private static boolean isSdp(byte[] body) {
        return body.length >= 3 && body[0] == 'v' && body[1] == '=' && body[2] == '0';
    }

    String advertisedHost(ListenPoint lp) {
        return config.externalIp().orElse(lp.hostForUri());
    }

    private String contact(ListenPoint lp) {
        return "<sip:" + advertisedHost(lp) + ":" + lp.address().getPort()
                + (lp.transport() == Transport.UDP ? "" : ";transport=" + proto(lp.transport())) + ">";
    }

    /** Rewrites {@code user@localhost} to this server's address for the transport in use (spec 5.3). */
    private UnaryOperator<String> localhost(ListenPoint lp) {
        String replacement = Matcher.quoteReplacement("@" + advertisedHost(lp) + ":" + lp.address().getPort());
        return value -> LOCALHOST.matcher(value).replaceAll(replacement);
    }

    boolean isOwnAddress(Destination d) {
        for (ListenPoint lp : stack.transport().listenPoints()) {
            InetSocketAddress a = lp.address();
            if (a.getPort() == d.address().getPort() && (a.getAddress().equals(d.address().getAddress())
                    || (a.getAddress().isAnyLocalAddress() && d.address().getAddress().isLoopbackAddress()))) {
                return true;
            }
        }
        return false;
    }

    /** META of a message received; {@code sip} is its text as the frame carries it (serialized once, by the caller). */
    private static List<String> networkMeta(IncomingMessage in, String sip) {
        return List.of("network", Integer.toString(utf8Length(sip)), proto(in.transport()),
                in.remote().getAddress().getHostAddress(), Integer.toString(in.remote().getPort()), now());
    }

    /** META of a message sent; {@code sip} is its text as the frame carries it. */
    static List<String> appMeta(String sip, Transport transport, InetSocketAddress to) {
        return List.of("application", Integer.toString(utf8Length(sip)), proto(transport),
                to.getAddress().getHostAddress(), Integer.toString(to.getPort()), now());
    }

    /** The UTF-8 size of a text, without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static String proto(Transport t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    static String now() {
        return LocalTime.now(ZoneOffset.UTC).format(TIME);
    }

    static String[] concat(List<String> head, String... tail) {
        String[] out = new String[head.size() + tail.length];
        for (int i = 0; i < head.size(); i++) {
            out[i] = head.get(i);
        }
        System.arraycopy(tail, 0, out, head.size(), tail.length);
        return out;
    }

    private static String[] concat(List<String> a, List<String> b, String... tail) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return concat(all, tail);
    }

    static String text(SipMessage m) {
        return new String(m.toBytes(), StandardCharsets.UTF_8);
    }

    static void nok(AppConnection app, DrachtioFrame frame, String reason) {
        app.reply(DrachtioFrame.of(AppConnection.newId(), "response", frame.id(), "NOK",
                reason.replaceAll("[|\r\n]", " ")));
    }

    /** A CDR frame to one app that routes {@code cdr:<type>}, when CDRs are on (spec 3.6). */
    private void cdr(String type, String source, List<String> extra, SipMessage message) {
        if (!config.cdrs()) {
            return;
        }
        routes.next("cdr:" + type, a -> true).ifPresent(app -> app.push(DrachtioFrame.of(AppConnection.newId(),
                "cdr:" + type, concat(List.of(source, now()), extra.toArray(String[]::new))).withSipMessage(text(message))));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        resolver.shutdownNow();
    }
}
