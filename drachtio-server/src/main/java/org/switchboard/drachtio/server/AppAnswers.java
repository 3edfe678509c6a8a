package org.switchboard.drachtio.server;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.ua.DialogState;

/**
 * The server as UAS for apps: an app's response to a parked request is completed (To tag, Contact, Record-Route,
 * Session-Expires, RSeq) and sent; a 2xx or reliable 1xx to an INVITE or SUBSCRIBE makes the dialog. What RFC 3261
 * and 3262 then ask of a UAS the server does itself: the 2xx goes out again until the ACK (and the call ends with
 * BYE without one), a reliable provisional until its PRACK. The ACK from the network is matched here too.
 *
 * <p>Threads: no state of its own. An app's answer runs on its connection's event loop, holding the parked
 * request's monitor while it decides and sends; ACKs on SIP event loops (the dialog's state matches them to its ACK
 * wait under its own monitor); retransmissions and the ACK timeout on the timer thread.
 */
final class AppAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(AppAnswers.class);

    private final ParkedRequests parked;
    private final AppDialogs dialogs;
    private final SipNetwork network;
    private final ScheduledExecutorService timer;
    private final LocalAddresses addresses;
    private final SessionTimers sessionTimers;
    private final Cdrs cdrs;

    AppAnswers(ParkedRequests parked, AppDialogs dialogs, SipNetwork network, ScheduledExecutorService timer,
               LocalAddresses addresses, SessionTimers sessionTimers, Cdrs cdrs) {
        this.parked = parked;
        this.dialogs = dialogs;
        this.network = network;
        this.timer = timer;
        this.addresses = addresses;
        this.sessionTimers = sessionTimers;
        this.cdrs = cdrs;
    }

    /** An app's response (a {@code sip} frame with a status line) to the parked request {@code txnId}. */
    void respond(AppConnection app, DrachtioFrame frame, String txnId, AppSipMessage msg) {
        OfferedRequest in = parked.get(txnId);
        if (in == null) {
            AppFrames.nok(app, frame, "Response not sent due to unknown transaction");
            return;
        }
        int status = msg.status();
        if (status < 0) {
            AppFrames.nok(app, frame, "invalid status line: " + msg.startLine());
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
        if (reliable && !MessageRules.offers100rel(request)) {
            AppFrames.nok(app, frame, "Remote endpoint does not support 100rel");
            return;
        }
        synchronized (in) {
            if (in.finalSent) {
                AppFrames.nok(app, frame, "Response not sent due to unknown transaction");
                return;
            }
            if (request.to().tag().isEmpty() && status > 100 && in.localTag == null) {
                in.localTag = creating ? msg.header(HeaderNames.TO).flatMap(MessageRules::tagOf)
                        .orElseGet(() -> TransactionLayer.randomToken(12)) : TransactionLayer.randomToken(12);
            }
            ListenPoint local = new ListenPoint(in.tx.incoming().transport(), in.tx.incoming().local());
            SipResponse.Builder b = MessageRules.withToTag(SipResponse.forRequest(request, status), request, in.localTag);
            msg.reason().ifPresent(b::reason);
            if (creating && status > 100 && status < 300) {
                request.headers().all(HeaderNames.RECORD_ROUTE)
                        .forEach(rr -> b.addHeader(HeaderNames.RECORD_ROUTE, MessageRules.asNameAddr(HeaderNames.RECORD_ROUTE, rr)));
            }
            msg.applyTo(b, MessageRules.RESPONSE_OWNED, addresses.localhost(local));
            boolean needsContact = (creating || (in.dialog != null && invite)) && (status / 100 == 2 || reliable);
            if (needsContact && msg.header(HeaderNames.CONTACT).isEmpty()) {
                b.addHeader(HeaderNames.CONTACT, in.dialog != null ? in.dialog.sip.localContact() : addresses.contact(local));
            }
            MessageRules.body(b, msg);
            AppDialog dialog = in.dialog;
            if (creating && (status / 100 == 2 || reliable)) {
                dialog = in.early != null ? in.early : uasDialog(in, local, b, status / 100 == 2);
                in.early = dialog;
                dialogs.add(dialog);
                if (status / 100 == 2) {
                    dialog.sip.confirm();
                }
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
                parked.unpark(in);
            } else {
                in.provisionalSent = true;
            }
            if (status / 100 == 2 && invite) {
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
                dialogs.end(in.early);
            }
            String dialogId = creating && status > 100 ? AppDialog.idOf(request.callId().orElseThrow(),
                    request.from().tag().orElse("")) : in.dialog != null ? in.dialog.id : "";
            app.reply(AppFrames.sent(frame, response, in.tx.incoming().transport(), in.tx.incoming().remote(), txnId,
                    dialogId, ""));
            if (invite && in.dialog == null && status >= 200) {
                cdrs.record(status < 300 ? "start" : "stop", "application",
                        List.of(status < 300 ? "uas" : "call-rejected"), response);
            }
        }
    }

    /** The app's answer to an early-dialog UPDATE, sent on the INVITE's transaction id with CSeq method UPDATE. */
    private boolean answerUpdate(AppConnection app, DrachtioFrame frame, OfferedRequest in, AppSipMessage msg, int status) {
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
        msg.applyTo(b, MessageRules.RESPONSE_OWNED, addresses.localhost(local));
        if (status / 100 == 2 && msg.header(HeaderNames.CONTACT).isEmpty()) {
            b.addHeader(HeaderNames.CONTACT, addresses.contact(local));
        }
        MessageRules.body(b, msg);
        SipResponse response = b.build();
        update.respond(response);
        String dialogId = AppDialog.idOf(request.callId().orElse(""), request.from().tag().orElse(""));
        app.reply(AppFrames.sent(frame, response, update.incoming().transport(), update.incoming().remote(), in.txnId,
                dialogId, ""));
        return true;
    }

    private AppDialog uasDialog(OfferedRequest in, ListenPoint local, SipResponse.Builder response, boolean confirmed) {
        String contact = response.build().headers().first(HeaderNames.CONTACT).orElseGet(() -> addresses.contact(local));
        return new AppDialog(DialogState.asUas(in.tx.request(), in.localTag, contact, confirmed,
                new Destination(in.tx.incoming().transport(), in.tx.incoming().remote())), in.app);
    }

    /** RFC 3261 13.3.1.4: the 2xx goes out again (over UDP) until the ACK; after 64 T1 the call ends. */
    private void awaitAck(AppDialog dialog, SipResponse ok, IncomingMessage request) {
        dialog.sip.awaitAck(network.awaitAck(timer, request, ok, () -> {
            LOG.debug("no ACK for the 2xx of {}; sending BYE", dialog);
            dialogs.teardown(dialog, "ACK timeout");
        }));
    }

    /** An ACK from the network for a dialog of ours: ends the 2xx retransmission; the app sees each new ACK once. */
    void onAck(IncomingMessage incoming, SipRequest ack) {
        AppDialog dialog = dialogs.find(ack);
        if (dialog == null) {
            return;
        }
        if (dialog.sip.acknowledged(ack) && dialog.owner.isActive()) {
            dialog.owner.push(AppFrames.fromNetwork(incoming, ack, AppConnection.newId(), dialog.id, ""));
        }
    }

    /** RFC 3262: a reliable provisional goes out again at T1, doubling, until its PRACK or 64 T1. */
    private void retransmitReliable(AppDialog dialog, SipResponse provisional, IncomingMessage request) {
        long rseq = dialog.nextRseq++;
        dialog.pendingRseq = rseq;
        scheduleReliable(dialog, provisional, request, rseq, network.timers().t1().toMillis(), 0);
    }

    private void scheduleReliable(AppDialog dialog, SipResponse provisional, IncomingMessage request, long rseq,
                                  long interval, long elapsed) {
        long limit = network.timers().transactionTimeout().toMillis();
        if (elapsed >= limit || request.transport().isReliable()) {
            return;
        }
        dialog.reliableRetransmission = timer.schedule(() -> {
            if (dialog.pendingRseq == rseq && !dialog.ended()) {
                network.sendResponse(provisional, request);
                scheduleReliable(dialog, provisional, request, rseq, Math.min(interval * 2,
                        network.timers().t2().toMillis()), elapsed + interval);
            }
        }, interval, TimeUnit.MILLISECONDS);
    }

    /** A PRACK from the network: the reliable provisional it acknowledges is not sent again. */
    void acknowledgeReliable(AppDialog dialog, SipRequest prack) {
        String[] rack = prack.header("RAck").orElse("").strip().split("\\s+");
        if (rack.length > 0 && rack[0].equals(Long.toString(dialog.pendingRseq))) {
            dialog.pendingRseq = -1;
            ScheduledFuture<?> t = dialog.reliableRetransmission;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
