package org.switchboard.drachtio.server;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.uri.SipUri;

/**
 * Requests from the network on their way to apps: the screening drachtio-server does before any app sees a new
 * request (REGISTER rules, OPTIONS auto-answer; spammers and the rate limit are {@link Admission}'s), the choice of app (a request handler's HTTP decision,
 * or round-robin over the apps that route the method), delivery with parking until the app answers, in-dialog
 * requests to the dialog's app, an UPDATE in an unanswered INVITE's early dialog, and a caller's CANCEL of a
 * parked request.
 *
 * <p>Threads: holds no per-call state of its own (that is in {@link ParkedRequests} and {@link AppDialogs}). Runs on
 * the SIP event loop that received the request, or on the resolver thread that completed an HTTP decision or an
 * outbound connection. {@link #connectAppsWith} is called once at start.
 */
final class NetworkRequests {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkRequests.class);

    private final DrachtioServerConfig config;
    private final RouteTable routes;
    private final ParkedRequests parked;
    private final AppDialogs dialogs;
    private final Cdrs cdrs;
    private final HttpRouter httpRouter;
    private final SessionTimers sessionTimers;
    private final AppAnswers answers;
    private final Proxying proxying;
    private volatile AppConnector connector;

    NetworkRequests(DrachtioServerConfig config, RouteTable routes, ParkedRequests parked, AppDialogs dialogs, Cdrs cdrs,
                    HttpRouter httpRouter, SessionTimers sessionTimers, AppAnswers answers, Proxying proxying) {
        this.config = config;
        this.routes = routes;
        this.parked = parked;
        this.dialogs = dialogs;
        this.cdrs = cdrs;
        this.httpRouter = httpRouter;
        this.sessionTimers = sessionTimers;
        this.answers = answers;
        this.proxying = proxying;
    }

    void connectAppsWith(AppConnector connector) {
        this.connector = connector;
    }

    /** A request that creates no dialog state yet: screened, then offered to an app or a request handler. */
    void onNew(ServerTransaction tx, SipRequest request) {
        String method = request.method();
        if (method.equals("REGISTER") && config.rejectRegisterWithNoRealm() && request.requestUri() instanceof SipUri uri
                && uri.host().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            MessageRules.respond(tx, 403, null);
            return;
        }
        if (method.equals("REGISTER") && request.isWildcardContact()
                && !request.header(HeaderNames.EXPIRES).map(String::strip).orElse("").equals("0")) {
            MessageRules.respond(tx, 400, null);
            return;
        }
        if (method.equals("OPTIONS") && config.optionsAutoRespond().isPresent()
                && config.optionsAutoRespond().equals(request.header(HeaderNames.USER_AGENT).map(String::strip))) {
            MessageRules.respond(tx, 200, null);
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
            SipResponse unavailable = MessageRules.respond(tx, 503, null);
            if (method.equals("INVITE")) {
                cdrs.record("attempt", "network", List.of(), request);
                cdrs.record("stop", "application", List.of("call-rejected"), unavailable);
            }
            return;
        }
        deliver(tx, request, app.get());
    }

    /** Hands a new request to an app (docs/drachtio.md) and parks it until the app answers. */
    private void deliver(ServerTransaction tx, SipRequest request, AppConnection app) {
        OfferedRequest in = new OfferedRequest(AppConnection.newId(), tx, app, null);
        if (config.alwaysSend180() && request.isMethod("INVITE")) {
            in.localTag = TransactionLayer.randomToken(12);
            in.provisionalSent = true;
            tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 180), request, in.localTag).build());
        }
        var frame = AppFrames.fromNetwork(tx.incoming(), request, in.txnId, "",
                tx.incoming().local().getAddress().getHostAddress(), Integer.toString(tx.incoming().local().getPort()), "");
        parked.park(in);
        LOG.debug("{} {} -> {} as {}", request.method(), request.callId().orElse(""), app, in.txnId);
        app.push(frame);
        if (request.isMethod("INVITE")) {
            cdrs.record("attempt", "network", List.of(), request);
        }
    }

    /** Carries out a request handler's decision (docs/drachtio.md), unless the caller gave up meanwhile. */
    private void apply(HttpRouter.Decision decision, ServerTransaction tx, SipRequest request) {
        if (tx.hasFinalResponse()) {
            return;
        }
        if (decision instanceof HttpRouter.Decision.Reject r) {
            tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, r.status()), request, null)
                    .reason(r.reason().isEmpty() ? SipResponse.reasonPhrase(r.status()) : r.reason()).build());
        } else if (decision instanceof HttpRouter.Decision.Redirect r) {
            SipResponse.Builder b = MessageRules.withToTag(SipResponse.forRequest(request, 302), request, null);
            r.contacts().forEach(c -> b.addHeader(HeaderNames.CONTACT, c.startsWith("<") ? c : "<" + c + ">"));
            tx.respond(b.build());
        } else if (decision instanceof HttpRouter.Decision.Proxy p) {
            proxying.proxy(tx, request, p.destinations(), p.options(), null, "", List.of());
        } else if (decision instanceof HttpRouter.Decision.RouteToTag t) {
            routes.next(request.method(), a -> a.tags().contains(t.tag()))
                    .ifPresentOrElse(app -> deliver(tx, request, app), () -> MessageRules.respond(tx, 480, null));
        } else if (decision instanceof HttpRouter.Decision.RouteToAddress a) {
            connector.connect(a.host(), a.port(), a.tls()).whenComplete((app, error) -> {
                if (error != null) {
                    LOG.info("DRS-005 cannot hand {} to the app at {}:{}: {}", request.method(), a.host(), a.port(),
                            error.getMessage());
                    MessageRules.respond(tx, 480, null);
                } else if (!tx.hasFinalResponse()) {
                    deliver(tx, request, app);
                }
            });
        } else if (decision instanceof HttpRouter.Decision.Failure f) {
            LOG.warn("DRS-302 request handler failed for {} {}: {}", request.method(), request.requestUriText(), f.why());
            MessageRules.respond(tx, 500, null);
        }
    }

    /** A request with a To tag: to the app of its dialog, parked like a new one; 481 when there is no such dialog. */
    void onInDialog(ServerTransaction tx, SipRequest request) {
        AppDialog dialog = dialogs.find(request);
        if (dialog == null && request.isMethod("UPDATE") && updateInEarlyDialog(tx, request)) {
            return;
        }
        if (dialog == null || !dialog.owner.isActive()) {
            if (dialog != null && request.isMethod("BYE")) {
                dialogs.end(dialog);
            }
            MessageRules.respond(tx, 481, null);
            return;
        }
        if (!dialog.sip.receive(request)) {
            tx.respond(MessageRules.withToTag(SipResponse.forRequest(request, 500), request, null)
                    .reason("CSeq out of order").build());
            return;
        }
        if (sessionTimers.rejectTooSmall(tx)) {
            return;
        }
        switch (request.method()) {
            case "BYE" -> {
                dialogs.endedByPeer(dialog);
                cdrs.record("stop", "network", List.of("normal-release"), request);
            }
            case "NOTIFY", "SUBSCRIBE" -> {
                if (dialog.sip.endsSubscription(request)) {
                    dialogs.end(dialog); // the app still answers it on its transaction
                }
            }
            case "PRACK" -> answers.acknowledgeReliable(dialog, request);
            default -> {
            }
        }
        OfferedRequest in = new OfferedRequest(AppConnection.newId(), tx, dialog.owner, dialog);
        var frame = AppFrames.fromNetwork(tx.incoming(), request, in.txnId, dialog.id, "");
        parked.park(in);
        dialog.owner.push(frame);
    }

    /**
     * An UPDATE in the early dialog of an INVITE the app has not answered (no reliable 1xx made that dialog
     * routable): it goes to the INVITE's app under the INVITE's transaction id; a second one while the first is
     * unanswered gets 500 (docs/drachtio.md). Returns whether such an INVITE was found.
     */
    private boolean updateInEarlyDialog(ServerTransaction tx, SipRequest update) {
        String callId = update.callId().orElse("");
        String fromTag = update.from().tag().orElse("");
        String toTag = update.to().tag().orElse("");
        for (OfferedRequest in : parked.all()) {
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
            in.app.push(AppFrames.fromNetwork(tx.incoming(), update, in.txnId, AppDialog.idOf(callId, fromTag), ""));
            return true;
        }
        return false;
    }

    /**
     * The caller's CANCEL of a request parked for an app: 200 to the CANCEL, 487 to the request, and the app is told
     * with the CANCEL itself. Returns false when the request is not parked (any more).
     */
    boolean cancelParked(ServerTransaction cancel, ServerTransaction invite) {
        OfferedRequest in = parked.forTransaction(invite).orElse(null);
        if (in == null) {
            return false;
        }
        SipRequest request = cancel.request();
        synchronized (in) {
            if (in.finalSent) {
                return false;
            }
            parked.unpark(in);
            MessageRules.respond(cancel, 200, null);
            SipResponse terminated = MessageRules.respond(in.tx, 487, in.localTag);
            String dialogId = in.provisionalSent ? AppDialog.idOf(request.callId().orElse(""),
                    request.from().tag().orElse("")) : "";
            if (in.early != null) {
                dialogs.end(in.early);
            }
            in.app.push(AppFrames.fromNetwork(cancel.incoming(), request, in.txnId, dialogId, ""));
            cdrs.record("stop", "application", List.of("call-canceled"), terminated);
            return true;
        }
    }
}
