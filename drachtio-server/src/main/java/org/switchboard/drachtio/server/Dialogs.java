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

/**
 * The dialogs the server tracks for apps, by the wire protocol's dialog id (Call-ID and the From tag of the
 * creating request), and their end: forgotten with their timers stopped, or torn down from the server's side with a
 * BYE and an unsolicited BYE frame to the owning app.
 *
 * <p>This keeps {@link ServerDialog} rather than sip-stack's {@code org.switchboard.sip.stack.ua} dialogs: those
 * belong to sip-stack's own user agent (its session handler answers and ends calls), while here an app on the
 * other side of the drachtio protocol writes every request and response and the server only completes them.
 *
 * <p>Threads: the map is concurrent; dialogs are added by the SIP event loop that delivered an app's answer or
 * the response to an app's request, looked up by SIP event loops and app connection event loops, and removed by
 * whichever thread ends the dialog (a BYE's transaction, the timer thread for ACK and session timeouts, an app
 * connection's event loop when the app goes away). A dialog's mutable fields are volatile; the ACK wait is
 * guarded by the dialog's monitor.
 */
final class Dialogs {

    private static final Logger LOG = LoggerFactory.getLogger(Dialogs.class);

    /** The BYE the server sent when it ended a dialog itself, and the answer to it. */
    record EndedByServer(SipRequest bye, Destination destination, CompletableFuture<SipResponse> answer) {
    }

    private final Map<String, ServerDialog> byId = new ConcurrentHashMap<>();
    /** Dialogs the server ended itself, kept for 64 T1 for an app's own BYE racing the server's (docs/drachtio.md). */
    private final Map<String, EndedByServer> endedByServer = new ConcurrentHashMap<>();
    private final SipNetwork network;
    private final Cdrs cdrs;
    private final ScheduledExecutorService timer;

    Dialogs(SipNetwork network, Cdrs cdrs, ScheduledExecutorService timer) {
        this.network = network;
        this.cdrs = cdrs;
        this.timer = timer;
    }

    Optional<EndedByServer> endedByServer(String id) {
        return Optional.ofNullable(endedByServer.get(id));
    }

    ServerDialog get(String id) {
        return byId.get(id);
    }

    void add(ServerDialog dialog) {
        byId.put(dialog.id, dialog);
    }

    int size() {
        return byId.size();
    }

    Stream<String> callIds() {
        return byId.values().stream().map(d -> d.callId);
    }

    /** The dialog a request from the network belongs to: ours as UAS (keyed by its From tag) or as UAC (its To tag). */
    ServerDialog find(SipMessage request) {
        String callId = request.callId().orElse("");
        String fromTag = request.from().tag().orElse("");
        String toTag = request.to().tag().orElse("");
        ServerDialog uas = byId.get(ServerDialog.idOf(callId, fromTag));
        if (uas != null && uas.uas && uas.localTag.equals(toTag)) {
            return uas;
        }
        ServerDialog uac = byId.get(ServerDialog.idOf(callId, toTag));
        return uac != null && !uac.uas && uac.remoteTag.equals(fromTag) ? uac : null;
    }

    /** The UAS dialog a request of the caller (a CANCEL) names by its Call-ID and From tag. */
    ServerDialog findUas(SipRequest request) {
        ServerDialog d = byId.get(ServerDialog.idOf(request.callId().orElse(""), request.from().tag().orElse("")));
        return d != null && d.uas ? d : null;
    }

    /**
     * The dialog a response to a request the server sent for an app belongs to: a UAC dialog by the From tag, or a
     * UAS dialog (the app's re-INVITE there) whose remote tag is the response's To tag.
     */
    ServerDialog findForResponse(SipResponse response) {
        String callId = response.callId().orElse("");
        String fromTag = response.from().tag().orElse("");
        ServerDialog uac = byId.get(ServerDialog.idOf(callId, fromTag));
        if (uac != null && !uac.uas) {
            return uac;
        }
        ServerDialog uas = byId.get(ServerDialog.idOf(callId, response.to().tag().orElse("")));
        return uas != null && uas.uas && uas.localTag.equals(fromTag) ? uas : null;
    }

    /**
     * Whether {@code request} ends {@code dialog}, a dialog a SUBSCRIBE made (RFC 6665): a NOTIFY whose
     * Subscription-State is {@code terminated}, or a SUBSCRIBE with {@code Expires: 0}. The NOTIFYs of a REFER
     * inside an INVITE dialog end only the REFER's implicit subscription, not the dialog.
     */
    static boolean endsSubscription(ServerDialog dialog, SipRequest request) {
        if (!dialog.subscription) {
            return false;
        }
        if (request.isMethod("NOTIFY")) {
            return request.header("Subscription-State")
                    .map(v -> v.strip().toLowerCase(java.util.Locale.ROOT).startsWith("terminated")).orElse(false);
        }
        return request.isMethod("SUBSCRIBE") && request.header("Expires").map(String::strip).filter("0"::equals).isPresent();
    }

    /** Forgets a dialog and stops its timers. */
    void end(ServerDialog dialog) {
        dialog.ended = true;
        dialog.stopTimers();
        byId.remove(dialog.id, dialog);
    }

    /**
     * Ends a dialog from the server's side: BYE to the peer with a Reason, and the owning app (if still there) is
     * told with an unsolicited BYE frame (docs/drachtio.md).
     */
    void teardown(ServerDialog dialog, String reason) {
        end(dialog);
        SipRequest bye = dialog.request("BYE", dialog.remoteTarget.toString(), -1)
                .addHeader("Reason", "SIP ;cause=200 ;text=\"" + reason + "\"").build();
        Destination destination = dialog.destination();
        CompletableFuture<SipResponse> answer = new CompletableFuture<>();
        ClientTransaction tx = network.sendRequest(bye, destination, new ResponseListener() {
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
        });
        EndedByServer ended = new EndedByServer(tx.request(), destination, answer);
        endedByServer.put(dialog.id, ended);
        timer.schedule(() -> endedByServer.remove(dialog.id, ended), network.timers().transactionTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        cdrs.record("stop", "application",
                List.of(reason.equals("ACK timeout") ? "ack-timeout" : "system-initiated-termination"), tx.request());
        if (dialog.owner.isActive()) {
            String sip = AppFrames.text(tx.request());
            dialog.owner.push(AppFrames.fromServer(AppFrames.appMeta(sip, destination.transport(), destination.address()),
                    sip, "unsolicited", dialog.id, ""));
        }
    }

    /**
     * Tears down every dialog of an app that went away, but for those the app was ending itself (the answer to its
     * BYE or terminating NOTIFY ends them) and subscriptions, which a BYE does not end: they are forgotten and
     * expire at the subscriber.
     */
    void teardownAllOf(AppConnection app) {
        for (ServerDialog dialog : List.copyOf(byId.values())) {
            if (dialog.owner != app || dialog.endingByApp) {
                continue;
            }
            if (dialog.subscription) {
                end(dialog);
            } else {
                LOG.debug("{} lost its app; sending BYE", dialog);
                teardown(dialog, "application disconnected");
            }
        }
    }

    /** Sends the ACK of a UAC dialog's 2xx again, for a retransmission of that 2xx. */
    void resendAck(ServerDialog dialog, SipResponse ok) {
        if (dialog != null && dialog.ack != null && dialog.ack.cseq().number() == ok.cseq().number()) {
            network.send(dialog.ack, dialog.destination());
        }
    }
}
