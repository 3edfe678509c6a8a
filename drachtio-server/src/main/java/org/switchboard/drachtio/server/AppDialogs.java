package org.switchboard.drachtio.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.stack.ua.DialogState;

/**
 * The dialogs the server tracks for apps, by the wire protocol's dialog id (Call-ID and the From tag of the
 * creating request), and their end: forgotten with their timers stopped, or torn down from the server's side with a
 * BYE and an unsolicited BYE frame to the owning app.
 *
 * <p>Each {@link AppDialog} holds its SIP state in sip-stack's {@code DialogState}, whose rules say which request or
 * response belongs to it; this registry only finds the candidates by the drachtio id.
 *
 * <p>Threads: the map is concurrent; dialogs are added by the SIP event loop that delivered an app's answer or
 * the response to an app's request, looked up by SIP event loops and app connection event loops, and removed by
 * whichever thread ends the dialog (a BYE's transaction, the timer thread for ACK and session timeouts, an app
 * connection's event loop when the app goes away). The map of dialogs the server ended itself is concurrent too,
 * each entry removed by the timer thread after 64 T1.
 */
final class AppDialogs {

    private static final Logger LOG = LoggerFactory.getLogger(AppDialogs.class);

    /** The BYE that ended a dialog the app may still send its own BYE in, where it went, and the answer to it. */
    interface Ended {
        SipRequest bye();

        Destination destination();

        CompletableFuture<SipResponse> answer();
    }

    /** The BYE the server sent when it ended the dialog itself. */
    private record Sent(SipRequest bye, Destination destination, CompletableFuture<SipResponse> answer) implements Ended {
    }

    /**
     * The peer ended the dialog: the app's BYE as it would have crossed the peer's, answered 481 as the peer answers a
     * BYE for a dialog it has ended. Both are made only when an app's BYE comes, which is rare, so that each call ended
     * by its peer keeps its dialog's few fields for 64 T1 rather than two messages.
     */
    private static final class CrossedByPeer implements Ended {

        private final DialogState sip;
        private final Destination destination;
        private SipRequest bye;

        CrossedByPeer(DialogState sip, Destination destination) {
            this.sip = sip;
            this.destination = destination;
        }

        @Override
        public synchronized SipRequest bye() {
            if (bye == null) {
                bye = sip.request("BYE").build();
            }
            return bye;
        }

        @Override
        public Destination destination() {
            return destination;
        }

        @Override
        public CompletableFuture<SipResponse> answer() {
            SipRequest b = bye();
            return CompletableFuture.completedFuture(MessageRules.withToTag(SipResponse.forRequest(b, 481), b, null).build());
        }
    }

    private final Map<String, AppDialog> byId = new ConcurrentHashMap<>();
    /**
     * Dialogs ended by the server itself or by the peer's BYE, kept for 64 T1 for an app's own BYE racing that one
     * (docs/drachtio.md).
     */
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
    private final SipNetwork network;
    private final Cdrs cdrs;
    private final ScheduledExecutorService timer;

    AppDialogs(SipNetwork network, Cdrs cdrs, ScheduledExecutorService timer) {
        this.network = network;
        this.cdrs = cdrs;
        this.timer = timer;
    }

    Optional<Ended> ended(String id) {
        return Optional.ofNullable(ended.get(id));
    }

    AppDialog get(String id) {
        return byId.get(id);
    }

    void add(AppDialog dialog) {
        byId.put(dialog.id, dialog);
    }

    int size() {
        return byId.size();
    }

    Stream<String> callIds() {
        return byId.values().stream().map(d -> d.sip.callId());
    }

    /**
     * The dialog a request from the network belongs to: ours as UAS (keyed by its From tag) or as UAC (its To tag); not
     * one the server is tearing down, which is over for the peer.
     */
    AppDialog find(SipMessage request) {
        String callId = request.callId().orElse("");
        AppDialog uas = byId.get(AppDialog.idOf(callId, request.from().tag().orElse("")));
        if (uas != null && uas.uas() && uas.sip.isFromPeer(request)) {
            return uas.ended() ? null : uas;
        }
        AppDialog uac = byId.get(AppDialog.idOf(callId, request.to().tag().orElse("")));
        return uac != null && !uac.uas() && !uac.ended() && uac.sip.isFromPeer(request) ? uac : null;
    }

    /** The UAS dialog a request of the caller (a CANCEL) names by its Call-ID and From tag. */
    AppDialog findUas(SipRequest request) {
        AppDialog d = byId.get(AppDialog.idOf(request.callId().orElse(""), request.from().tag().orElse("")));
        return d != null && d.uas() ? d : null;
    }

    /**
     * The dialog a response to a request the server sent for an app belongs to: a UAC dialog by the From tag, or a
     * UAS dialog (the app's re-INVITE there) by the To tag, whose tags match the response's.
     */
    AppDialog findForResponse(SipResponse response) {
        String callId = response.callId().orElse("");
        AppDialog uac = byId.get(AppDialog.idOf(callId, response.from().tag().orElse("")));
        if (uac != null && !uac.uas() && uac.sip.isResponseInDialog(response)) {
            return uac;
        }
        AppDialog uas = byId.get(AppDialog.idOf(callId, response.to().tag().orElse("")));
        return uas != null && uas.uas() && uas.sip.isResponseInDialog(response) ? uas : null;
    }

    /** Forgets a dialog and stops its timers. */
    void end(AppDialog dialog) {
        dialog.end();
        byId.remove(dialog.id, dialog);
    }

    /**
     * Forgets a dialog the peer ended with its BYE; an app BYE that crossed it (the app hung up at the same moment,
     * or the far side's clean-up hung up for it) is answered 481 as the peer would answer it, not refused.
     */
    void endedByPeer(AppDialog dialog) {
        // remembered before it is forgotten: an app's BYE finds the one or the other, never neither
        remember(dialog.id, new CrossedByPeer(dialog.sip, dialog.destination(network)));
        end(dialog);
    }

    private void remember(String id, Ended ended) {
        this.ended.put(id, ended);
        timer.schedule(() -> this.ended.remove(id, ended), network.timers().transactionTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Ends a dialog from the server's side: BYE to the peer with a Reason, and the owning app (if still there) is
     * told with an unsolicited BYE frame (docs/drachtio.md).
     */
    void teardown(AppDialog dialog, String reason) {
        dialog.end();
        SipRequest bye = dialog.sip.request("BYE")
                .addHeader("Reason", "SIP ;cause=200 ;text=\"" + reason + "\"").build();
        Destination destination = dialog.destination(network);
        CompletableFuture<SipResponse> answer = new CompletableFuture<>();
        SipRequest sent;
        try {
            sent = sendBye(bye, destination, answer);
        } catch (IllegalStateException e) {
            // no listen point for the peer's transport: it cannot be told, but the dialog ends here all the same, and
            // so must the app's other dialogs when it is an app going away
            LOG.debug("{}: cannot send its BYE to {}: {}", dialog, destination, e.getMessage());
            sent = bye;
            answer.complete(MessageRules.withToTag(SipResponse.forRequest(bye, 503), bye, null).build());
        }
        // remembered before it is forgotten: an app's BYE meanwhile finds the dialog (and goes out, the peer answers
        // it) or this BYE to join, never neither (the refusal that killed drachtio-fsmrf's suite, docs/peer-suites.md)
        remember(dialog.id, new Sent(sent, destination, answer));
        byId.remove(dialog.id, dialog);
        cdrs.record("stop", "application",
                List.of(reason.equals("ACK timeout") ? "ack-timeout" : "system-initiated-termination"), sent);
        if (dialog.owner.isActive()) {
            String sip = AppFrames.text(sent);
            dialog.owner.push(AppFrames.fromServer(AppFrames.appMeta(sip, destination.transport(), destination.address()),
                    sip, "unsolicited", dialog.id, ""));
        }
    }

    /** Sends a server's BYE; {@code answer} gets its final response. Returns the BYE as sent. */
    private SipRequest sendBye(SipRequest bye, Destination destination, CompletableFuture<SipResponse> answer) {
        return network.sendRequest(bye, destination, new ResponseListener() {
            @Override
            public void onResponse(ClientTransaction t, SipResponse response) {
                if (response.status() >= 200) {
                    answer.complete(response);
                }
            }

            @Override
            public void onTimeout(ClientTransaction t) {
                answer.complete(MessageRules.withToTag(SipResponse.forRequest(t.request(), 408), t.request(), null).build());
            }

            @Override
            public void onTransportError(ClientTransaction t, TransportError error) {
                answer.complete(MessageRules.withToTag(SipResponse.forRequest(t.request(), 503), t.request(), null).build());
            }
        }).request();
    }

    /**
     * Tears down every dialog of an app that went away, but for those the app was ending itself (the answer to its
     * BYE or terminating NOTIFY ends them) and subscriptions, which a BYE does not end: they are forgotten and
     * expire at the subscriber.
     */
    void teardownAllOf(AppConnection app) {
        for (AppDialog dialog : List.copyOf(byId.values())) {
            if (dialog.owner != app || dialog.endingByApp) {
                continue;
            }
            if (dialog.sip.isSubscription()) {
                end(dialog);
            } else {
                LOG.debug("{} lost its app; sending BYE", dialog);
                teardown(dialog, "application disconnected");
            }
        }
    }

    /** Sends the ACK of a 2xx again, for a retransmission of that 2xx. */
    void resendAck(AppDialog dialog, SipResponse ok) {
        if (dialog != null) {
            dialog.sip.ackFor(ok).ifPresent(ack -> network.send(ack, dialog.destination(network)));
        }
    }
}
