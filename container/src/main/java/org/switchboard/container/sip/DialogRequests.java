package org.switchboard.container.sip;

import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.ReceivedRequest;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * Requests from the far end inside a dialog an application holds: each becomes a {@link DialogEvent} for the
 * application's observers and the dialog's listeners, on the call's lane, and gets the usual answer when
 * neither gave one (200 with the local SDP for a re-INVITE, 202 for REFER, 405 for what a dialog does not take).
 *
 * <p>Threads: called on the drachtio client's call lanes; everything it starts runs on the call's lane.
 */
final class DialogRequests {

    private static final Logger LOG = LoggerFactory.getLogger(DialogRequests.class);

    /** The reason of the DESTROY event of a dialog the call watchdog ended ({@code call.max-duration}). */
    static final String MAX_DURATION = "max duration";

    private final SipCore core;

    DialogRequests(SipCore core) {
        this.core = core;
    }

    /** Handles {@code received}, a request inside {@code dialog}. */
    void handle(CallDialog dialog, ReceivedRequest received) {
        SipRequest request = received.request();
        dialog.activity().touch();
        String txn = received.transactionId();
        String method = request.method();
        switch (method) {
            case "ACK" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.ACK, dialog, request, null, ""), null);
            case "BYE" -> {
                dialog.sendResponse(txn, Wire.response(200));
                ended(dialog, request, "BYE");
            }
            case "PRACK" -> dialog.sendResponse(txn, Wire.response(200));
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
                Optional<String> expires = request.header("Expires").map(String::trim);
                Map<String, String> echo = expires.map(e -> Map.of("Expires", e)).orElse(Map.of());
                if (expires.filter("0"::equals).isPresent()) {
                    dialog.sendResponse(txn, Wire.response(200, echo, ""));
                    ended(dialog, request, "unsubscribed");
                } else {
                    fire(dialog, new DialogEventImpl(DialogEvent.Type.SUBSCRIBE, dialog, request, txn, ""),
                            Wire.response(200, echo, ""));
                }
            }
            case "NOTIFY" -> {
                fire(dialog, new DialogEventImpl(DialogEvent.Type.NOTIFY, dialog, request, txn, ""), Wire.response(200));
                boolean terminated = request.header("Subscription-State")
                        .map(s -> s.trim().toLowerCase(java.util.Locale.ROOT).startsWith("terminated")).orElse(false);
                if (terminated && dialog.method().equals("SUBSCRIBE")) {
                    ended(dialog, request, "subscription terminated");
                }
            }
            case "REFER" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.REFER, dialog, request, txn, ""), Wire.response(202));
            case "INFO" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.INFO, dialog, request, txn, ""), Wire.response(200));
            case "MESSAGE" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.MESSAGE, dialog, request, txn, ""), Wire.response(200));
            case "OPTIONS" -> fire(dialog, new DialogEventImpl(DialogEvent.Type.OPTIONS, dialog, request, txn, ""), Wire.response(200));
            default -> dialog.sendResponse(txn, Wire.response(405));
        }
    }

    /** Ends {@code dialog} on {@code request} (null when the container ends it) and tells its application. */
    void ended(CallDialog dialog, SipRequest request, String reason) {
        dialog.end(() -> destroyed(dialog, request, reason));
    }

    /**
     * Ends {@code dialog}, which had no in-dialog request or response for {@code maxIdle}: its application gets
     * DESTROY with the reason {@link #MAX_DURATION}, the far end a BYE whose Reason (RFC 3326) says why.
     */
    void idle(CallDialog dialog, java.time.Duration maxIdle) {
        String text = "no activity for " + maxIdle.toSeconds() + " s (call.max-duration)";
        Map<String, String> reason = Map.of("Reason", "SIP;cause=408;text=\"" + text + "\"");
        dialog.terminate(reason, () -> {
            LOG.info("SBC-111 {} call-id={} dialog {}: {}, ending it with BYE", dialog.application.name(), dialog.callId(),
                    dialog.id(), text);
            destroyed(dialog, null, MAX_DURATION);
        });
    }

    // the event is queued before the dialog leaves its call, so it comes before the call's end actions
    private void destroyed(CallDialog dialog, SipRequest request, String reason) {
        LOG.debug("dialog {} ended: {}", dialog.id(), reason);
        core.registry().dialogEnded(dialog.call, reason);
        DialogEventImpl event = new DialogEventImpl(DialogEvent.Type.DESTROY, dialog, request, null, reason);
        fire(dialog, event, null);
        dialog.call.execute(() -> CurrentCall.run(core.registry(), dialog.call, dialog.application,
                () -> dialog.complete(event)));
    }

    /** Fires {@code event} on the call's lane: observers, then the dialog's listeners, then the automatic answer if none was given. */
    private void fire(CallDialog dialog, DialogEventImpl event, SipResponse automaticAnswer) {
        dialog.call.execute(() -> {
            Application app = dialog.application;
            CurrentCall.run(core.registry(), dialog.call, app, () -> {
                try {
                    app.fireDialogEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("SBC-307 {}: observer of {} failed", app.name(), event, e);
                }
                for (var listener : dialog.listeners()) {
                    try {
                        listener.accept(event);
                    } catch (RuntimeException e) {
                        LOG.warn("SBC-308 {}: listener of {} failed", app.name(), event, e);
                    }
                }
            });
            if (automaticAnswer != null && event.answerable() && !event.isAnswered()) {
                event.answer(automaticAnswer);
            }
        });
    }
}
