package org.switchboard.drachtio.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * A request the server received and hands to the application, with the way to answer it: the connection it
 * came on and its transaction. What the request is for the application follows from {@link #kind()}.
 */
public final class ReceivedRequest {

    /** What the server asks of the application with this request. */
    public enum Kind {
        /** A request outside any dialog: a new call, a registration, an OPTIONS; it wants an answer. */
        NEW,
        /** A request inside a dialog the application holds; it wants an answer unless it is an ACK. */
        IN_DIALOG,
        /** The caller canceled a pending request; the server has answered the CANCEL and the request (487). */
        CANCEL,
        /** The server ended a dialog on its own (its BYE went out already, for example on an ACK timeout); no answer. */
        ENDED_BY_SERVER
    }

    // the server marks a BYE it generated itself with this transaction id
    static final String UNSOLICITED = "unsolicited";

    private final DrachtioClient client;
    private final String transactionId;
    private final String dialogId;
    private final SipRequest request;
    private final String source;

    ReceivedRequest(DrachtioClient client, String transactionId, String dialogId, SipRequest request, String source) {
        this.client = Objects.requireNonNull(client, "client");
        this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
        this.dialogId = Objects.requireNonNull(dialogId, "dialogId");
        this.request = Objects.requireNonNull(request, "request");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** What this request is for the application. */
    public Kind kind() {
        if (transactionId.equals(UNSOLICITED)) {
            return Kind.ENDED_BY_SERVER;
        }
        if (request.isMethod("CANCEL")) {
            return Kind.CANCEL;
        }
        return dialogId.isEmpty() ? Kind.NEW : Kind.IN_DIALOG;
    }

    /** The request. */
    public SipRequest request() {
        return request;
    }

    /** The server's id of the request's transaction. */
    public String transactionId() {
        return transactionId;
    }

    /** The dialog the request belongs to, empty outside a dialog. */
    public String dialogId() {
        return dialogId;
    }

    /** The Call-ID, empty when the request has none. */
    public String callId() {
        return request.callId().orElse("");
    }

    /** Where the request came from: {@code transport/address:port} as the server saw it, empty when not said. */
    public String source() {
        return source;
    }

    /** The connection the request came on. */
    public DrachtioClient connection() {
        return client;
    }

    /** Answers the request on its transaction; the server completes the response's headers. */
    public CompletableFuture<SentMessage> respond(SipResponse response) {
        return client.respond(transactionId, response);
    }

    @Override
    public String toString() {
        return kind() + " " + request.method() + " " + request.requestUriText() + " txn=" + transactionId
                + (dialogId.isEmpty() ? "" : " dialog=" + dialogId);
    }
}
