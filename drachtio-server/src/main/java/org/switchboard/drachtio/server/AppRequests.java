package org.switchboard.drachtio.server;

import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.stack.ua.DialogState;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * The server as UAC for apps: requests apps write, new (completed with From, To, Call-ID, CSeq, Contact, and sent
 * to the Request-URI, a route or the outbound proxy) or in a dialog (built from the dialog), the ACK of a 2xx, and
 * CANCEL; every response but 100 goes back to the app, a 2xx or reliable 1xx makes the UAC dialog, and a second 2xx
 * fork is ACKed and hung up at once.
 *
 * <p>Threads: the map of requests awaiting responses is concurrent. Requests are sent from the app's event loop
 * (after a DNS lookup on the resolver pool when the next hop is a name, handed back to that event loop); responses
 * arrive on SIP event loops and, for timeouts, the transaction timer thread.
 */
final class AppRequests {

    private static final Logger LOG = LoggerFactory.getLogger(AppRequests.class);
    private static final Set<String> CANCEL_OWNED = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
            HeaderNames.CSEQ, HeaderNames.CONTACT, "P-Asserted-Identity");
    private static final String PLACEHOLDER = "sip:placeholder";

    private final Map<String, AppRequest> pending = new ConcurrentHashMap<>();
    private final DrachtioServerConfig config;
    private final SipNetwork network;
    private final LocalAddresses addresses;
    private final Executor resolver;
    private final AppDialogs dialogs;
    private final SessionTimers sessionTimers;
    private final Cdrs cdrs;

    AppRequests(DrachtioServerConfig config, SipNetwork network, LocalAddresses addresses, Executor resolver,
                AppDialogs dialogs, SessionTimers sessionTimers, Cdrs cdrs) {
        this.config = config;
        this.network = network;
        this.addresses = addresses;
        this.resolver = resolver;
        this.dialogs = dialogs;
        this.sessionTimers = sessionTimers;
        this.cdrs = cdrs;
    }

    int size() {
        return pending.size();
    }

    Stream<String> callIds() {
        return pending.values().stream().map(out -> out.tx).filter(Objects::nonNull)
                .map(tx -> tx.request().callId().orElse(""));
    }

    /** A request outside a dialog; {@code routeUri} (may be empty) is where it goes instead of its Request-URI. */
    void sendNew(AppConnection app, DrachtioFrame frame, AppSipMessage msg, String routeUri) {
        String uri = msg.requestUri();
        if (msg.method().isEmpty() || uri.isEmpty()) {
            AppFrames.nok(app, frame, "invalid request-uri: " + msg.startLine());
            return;
        }
        if (msg.hasBody() && msg.header(HeaderNames.CONTENT_TYPE).isEmpty() && !MessageRules.isSdp(msg.body())) {
            AppFrames.nok(app, frame, "missing content-type");
            return;
        }
        SipUri hop;
        try {
            Uri target = Uri.parse(uri);
            if (target instanceof SipUri sipTarget && config.localDomain()
                    .filter(d -> sipTarget.host().equalsIgnoreCase(d) || sipTarget.host().toLowerCase(Locale.ROOT).endsWith("." + d))
                    .isPresent()) {
                AppFrames.nok(app, frame, "can not send request to myself");
                return;
            }
            Uri next = !routeUri.isEmpty() ? Uri.parse(routeUri)
                    : config.outboundProxy().<Uri>map(p -> p).orElse(target);
            if (!(next instanceof SipUri sip)) {
                AppFrames.nok(app, frame, "requested protocol/transport not available");
                return;
            }
            hop = sip;
        } catch (SipParseException e) {
            AppFrames.nok(app, frame, "invalid request-uri: " + msg.startLine());
            return;
        }
        Optional<Destination> literal;
        try {
            literal = network.withoutLookup(hop);
        } catch (IllegalArgumentException e) {
            AppFrames.nok(app, frame, "requested protocol/transport not available");
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
                app.execute(() -> AppFrames.nok(app, frame, "cannot resolve " + hop.host()));
            }
        });
    }

    private void sendNew(AppConnection app, DrachtioFrame frame, AppSipMessage msg, Destination destination) {
        if (addresses.isOwnAddress(destination)) {
            AppFrames.nok(app, frame, "can not send request to myself");
            return;
        }
        Optional<ListenPoint> local = network.listenPoint(destination.transport(), destination.address());
        if (local.isEmpty()) {
            AppFrames.nok(app, frame, "requested protocol/transport not available");
            return;
        }
        String method = msg.method();
        String host = addresses.advertisedHost(local.get()) + ":" + local.get().address().getPort();
        SipRequest.Builder b = SipRequest.builder(method, msg.requestUri())
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, "<sip:" + host + ">")
                .addHeader(HeaderNames.TO, "<" + msg.requestUri() + ">")
                .addHeader(HeaderNames.CALL_ID, UUID.randomUUID().toString())
                .addHeader(HeaderNames.CSEQ, ThreadLocalRandom.current().nextLong(1, 1 << 24) + " " + method);
        boolean initial = method.equals("INVITE") || method.equals("SUBSCRIBE");
        if (initial) {
            b.addHeader(HeaderNames.CONTACT, addresses.contact(local.get()));
        }
        msg.applyTo(b, Set.of(), addresses.localhost(local.get()));
        MessageRules.body(b, msg);
        SipRequest draft = b.build();
        NameAddress from = draft.from();
        if (from.tag().isEmpty()) {
            draft = draft.toBuilder().setHeader(HeaderNames.FROM, from.withTag(TransactionLayer.randomToken(12)).toString())
                    .build();
        }
        String dialogId = initial ? AppDialog.idOf(draft.callId().orElseThrow(), draft.from().tag().orElseThrow()) : "";
        AppRequest out = new AppRequest(AppConnection.newId(), app, dialogId, null, destination);
        if (send(app, frame, out, draft) && method.equals("INVITE")) {
            cdrs.record("attempt", "application", List.of(), out.tx.request());
        }
    }

    /** Sends an app's request in a client transaction and tells the app it went out (before any response). */
    private boolean send(AppConnection app, DrachtioFrame frame, AppRequest out, SipRequest request) {
        pending.put(out.txnId, out);
        try {
            out.tx = network.sendRequest(request, out.destination, new AppResponses(out));
        } catch (IllegalStateException e) {
            pending.remove(out.txnId);
            AppFrames.nok(app, frame, "requested protocol/transport not available");
            return false;
        }
        app.reply(AppFrames.sent(frame, out.tx.request(), out.tx.destination().transport(),
                out.tx.destination().address(), out.txnId));
        return true;
    }

    /** A request in the dialog {@code dialogId}; an ACK is the app's ACK of a 2xx it received. */
    void sendInDialog(AppConnection app, DrachtioFrame frame, String dialogId, AppSipMessage msg) {
        AppDialog dialog = dialogs.get(dialogId);
        String method = msg.method();
        if (method.equals("ACK")) {
            // on a UAS dialog too: the ACK of the 2xx to a re-INVITE the app sent there
            if (dialog == null) {
                AppFrames.nok(app, frame, "Server error: ACK for non-success final response is automatically generated by server");
            } else {
                ack(app, frame, dialog, msg);
            }
            return;
        }
        if (dialog == null) {
            Optional<AppDialogs.Ended> ended = method.equals("BYE") ? dialogs.ended(dialogId) : Optional.empty();
            if (ended.isPresent()) {
                joinTeardown(app, frame, dialogId, ended.get());
            } else {
                // which request crossed which end is what explains an app dying of this (docs/peer-suites.md)
                LOG.debug("{} from app {} refused: no dialog {}", method, app, dialogId);
                AppFrames.nok(app, frame, "Server error: unable to find dialog for dialog id provided");
            }
            return;
        }
        SipRequest.Builder b = msg.requestUri().isEmpty() || msg.requestUri().equals(PLACEHOLDER)
                ? dialog.sip.request(method) : dialog.sip.request(method, msg.requestUri());
        Destination destination = dialog.destination(network);
        ListenPoint local = network.listenPoint(destination.transport(), destination.address()).orElse(null);
        if (local == null) {
            AppFrames.nok(app, frame, "requested protocol/transport not available");
            return;
        }
        if (Set.of("INVITE", "SUBSCRIBE", "REFER").contains(method)) {
            b.addHeader(HeaderNames.CONTACT, dialog.sip.localContact());
        }
        msg.applyTo(b, Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID), addresses.localhost(local));
        MessageRules.body(b, msg);
        SipRequest request = b.build();
        dialog.sip.sent(request); // the app may have written its own CSeq
        if (method.equals("BYE")) {
            cdrs.record("stop", "application", List.of("normal-release"), request);
        }
        if (method.equals("BYE") || dialog.sip.endsSubscription(request)) {
            dialog.endingByApp = true;
        }
        send(app, frame, new AppRequest(AppConnection.newId(), app, dialog.id, dialog, destination), request);
    }

    /**
     * The app's BYE for a dialog the server has just ended itself (its app went away, or a timer ran out) while the
     * app hung up too: the app is told its BYE went out as the server's did, and gets the answer to that BYE, rather
     * than a refusal it could not have avoided.
     */
    private void joinTeardown(AppConnection app, DrachtioFrame frame, String dialogId, AppDialogs.Ended ended) {
        String txnId = AppConnection.newId();
        Destination to = ended.destination();
        app.reply(AppFrames.sent(frame, ended.bye(), to.transport(), to.address(), txnId));
        ended.answer().thenAccept(response -> app.push(AppFrames.response(response, to.transport(), to.address(),
                txnId, dialogId)));
    }

    private void ack(AppConnection app, DrachtioFrame frame, AppDialog dialog, AppSipMessage msg) {
        SipRequest.Builder b = dialog.sip.ack();
        msg.applyTo(b, Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID, HeaderNames.CSEQ, HeaderNames.CONTACT),
                UnaryOperator.identity());
        MessageRules.body(b, msg);
        Destination destination = dialog.destination(network);
        if (network.listenPoint(destination.transport(), destination.address()).isEmpty()) {
            AppFrames.nok(app, frame, "requested protocol/transport not available");
            return;
        }
        SipRequest sent = network.sendStateless(b.build(), destination);
        dialog.sip.ackSent(sent);
        app.reply(AppFrames.sent(frame, sent, destination.transport(), destination.address(), AppConnection.newId()));
        if (dialog.canceledByApp) {
            dialogs.teardown(dialog, "ACK-BYE due to cancel race condition");
        }
    }

    /** The app's CANCEL of its INVITE {@code txnId}. */
    void cancel(AppConnection app, DrachtioFrame frame, String txnId, AppSipMessage msg) {
        AppRequest out = pending.get(txnId);
        ClientTransaction invite = out == null ? null : out.tx;
        if (invite == null || !invite.request().isMethod("INVITE") || invite.hasFinalResponse()) {
            AppFrames.nok(app, frame, "unable to cancel unknown transaction id: " + txnId);
            return;
        }
        Headers.Builder extra = Headers.builder();
        msg.headers().stream().filter(l -> !CANCEL_OWNED.contains(l.name()))
                .forEach(l -> extra.add(l.name(), l.value()));
        out.canceled = true;
        ClientTransaction cancel = network.sendCancel(invite, extra.build(), MessageRules.IGNORED);
        app.reply(AppFrames.sent(frame, cancel.request(), invite.destination().transport(),
                invite.destination().address(), AppConnection.newId()));
    }

    /** An app went away: its INVITEs still ringing are canceled, unless it canceled them itself or they were answered. */
    void cancelAllOf(AppConnection app) {
        for (AppRequest out : List.copyOf(pending.values())) {
            ClientTransaction tx = out.tx;
            if (out.app == app && tx != null && tx.request().isMethod("INVITE") && !tx.hasFinalResponse()
                    && !out.canceled && !out.answered) {
                network.sendCancel(tx, MessageRules.IGNORED);
            }
        }
    }

    /** A 2xx to INVITE no transaction wants (a retransmission): the ACK of its dialog goes out again. */
    void onStray2xx(SipResponse response) {
        AppDialog dialog = dialogs.findForResponse(response);
        if (dialog != null) {
            dialogs.resendAck(dialog, response);
        }
    }

    /** What happens to a request an app sent: every response but 100 goes back to that app. */
    private final class AppResponses implements ResponseListener {
        private final AppRequest out;

        AppResponses(AppRequest out) {
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
            AppDialog dialog = out.dialog;
            if (method.equals("INVITE") && status / 100 == 2) {
                if (out.answered) {
                    AppDialog first = dialog != null ? dialog : dialogs.get(out.dialogId);
                    String tag = response.to().tag().orElse("");
                    if (first != null && out.dialog == null && !tag.equals(first.sip.remoteTag())) {
                        endFork(out, tx, response);
                    } else {
                        dialogs.resendAck(first, response); // a retransmission
                    }
                    return;
                }
                out.answered = true;
            }
            if (!out.dialogId.isEmpty() && out.dialog == null && response.to().tag().isPresent()
                    && (status / 100 == 2 || (status > 100 && status < 200 && response.header("RSeq").isPresent()))) {
                dialog = uacDialog(out, tx, response);
            }
            if (dialog != null) {
                dialog.sip.onResponse(request, response);
            }
            if (dialog != null && status >= 200 && status != 401 && status != 407
                    && (method.equals("BYE") || dialog.sip.endsSubscription(request))) {
                dialogs.end(dialog);
            }
            if (dialog != null && status / 100 == 2 && (method.equals("INVITE") || method.equals("UPDATE"))) {
                if (request.bodyLength() > 0) {
                    dialog.localSdp = request.bodyAsString();
                }
                sessionTimers.armAfterReceived(dialog, response);
            }
            if (status >= 200) {
                pending.remove(out.txnId, out);
            }
            if (method.equals("INVITE") && out.dialog == null) {
                if (status / 100 == 2) {
                    cdrs.record("start", "network", List.of("uac"), response);
                } else if (status >= 300) {
                    cdrs.record("stop", "network", List.of("call-rejected"), response);
                }
            }
            if (!out.app.isActive()) {
                if (dialog != null && status / 100 == 2 && method.equals("INVITE")) {
                    // the app is gone: confirm the call and end it at once, so no leg is left up
                    dialog.sip.ackSent(network.sendStateless(dialog.sip.ack(request.cseq().number()).build(),
                            dialog.destination(network)));
                    dialogs.teardown(dialog, "application disconnected");
                }
                return;
            }
            String dialogId = out.dialog != null ? out.dialog.id : out.dialogId;
            out.app.push(AppFrames.response(response, out.destination.transport(), out.destination.address(), out.txnId,
                    dialogId));
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            onResponse(tx, MessageRules.withToTag(SipResponse.forRequest(tx.request(), 408), tx.request(), null).build());
        }

        @Override
        public void onTransportError(ClientTransaction tx, TransportError error) {
            LOG.debug("could not send {} to {}: {}", tx.request().method(), tx.destination(), error);
            onResponse(tx, MessageRules.withToTag(SipResponse.forRequest(tx.request(), 503), tx.request(), null).build());
        }
    }

    /**
     * The UAC dialog a 2xx or reliable 1xx to an app's INVITE/SUBSCRIBE creates, or the early one it confirms (whose
     * state the caller then updates with the response).
     */
    private AppDialog uacDialog(AppRequest out, ClientTransaction tx, SipResponse response) {
        synchronized (out) {
            AppDialog existing = dialogs.get(out.dialogId);
            if (existing != null) {
                return existing;
            }
            AppDialog dialog = new AppDialog(DialogState.asUac(tx.request(), response, out.destination), out.app);
            dialog.canceledByApp = out.canceled;
            dialogs.add(dialog);
            return dialog;
        }
    }

    /**
     * A 2xx from a second fork of an INVITE whose first 2xx already made the dialog: that fork is ACKed and hung up
     * at once (RFC 3261 13.2.2.4), once per fork; the app only ever sees the first.
     */
    private void endFork(AppRequest out, ClientTransaction tx, SipResponse response) {
        if (!out.endedForks.add(response.to().tag().orElse(""))) {
            return;
        }
        DialogState fork = DialogState.asUac(tx.request(), response, out.destination);
        network.sendStateless(fork.ack().build(), fork.destination());
        network.sendRequest(fork.request("BYE")
                .addHeader("Reason", "SIP ;cause=200 ;text=\"another fork answered first\"").build(), fork.destination(),
                MessageRules.IGNORED);
    }
}
