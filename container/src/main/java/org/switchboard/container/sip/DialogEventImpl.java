package org.switchboard.container.sip;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** A dialog event; answering sends the response on the request's transaction. */
final class DialogEventImpl implements DialogEvent {

    private final Type type;
    private final CallDialog dialog;
    private final SipRequest request;
    private final String transactionId;
    private final String reason;
    private final AtomicBoolean answered = new AtomicBoolean();

    DialogEventImpl(Type type, CallDialog dialog, SipRequest request, String transactionId, String reason) {
        this.type = type;
        this.dialog = dialog;
        this.request = request;
        this.transactionId = transactionId;
        this.reason = reason;
    }

    @Override
    public Type type() {
        return type;
    }

    @Override
    public Dialog dialog() {
        return dialog;
    }

    @Override
    public Optional<SipRequest> request() {
        return Optional.ofNullable(request);
    }

    @Override
    public String reason() {
        return reason;
    }

    /** Whether the event's request expects an answer from the application (not ACK, not BYE, not unsolicited). */
    boolean answerable() {
        return request != null && transactionId != null && !request.isMethod("ACK");
    }

    @Override
    public void respond(SipResponse response) {
        if (!answerable()) {
            throw new IllegalStateException(type + " event has no request to answer");
        }
        answer(response);
    }

    /** Sends {@code response} unless the event was answered already (the container's automatic answers too). */
    void answer(SipResponse response) {
        if (answered.compareAndSet(false, true)) {
            dialog.sendResponse(transactionId, response);
        }
    }

    @Override
    public boolean isAnswered() {
        return answered.get();
    }

    @Override
    public String toString() {
        return "DialogEvent[" + type + " " + dialog.id() + (reason.isEmpty() ? "" : " " + reason) + "]";
    }
}
