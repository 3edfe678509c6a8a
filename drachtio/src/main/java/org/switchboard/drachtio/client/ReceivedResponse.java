package org.switchboard.drachtio.client;

import java.util.Objects;
import org.switchboard.sip.message.SipResponse;

/**
 * A response to a request the application sent, as the server relays it.
 *
 * @param transactionId the transaction of the request it answers (as in the request's {@link SentMessage})
 * @param dialogId the dialog the response makes or belongs to, empty when none
 * @param response the response
 */
public record ReceivedResponse(String transactionId, String dialogId, SipResponse response) {

    /** Checks that nothing is null. */
    public ReceivedResponse {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(dialogId, "dialogId");
        Objects.requireNonNull(response, "response");
    }

    /** The Call-ID, empty when the response has none. */
    public String callId() {
        return response.callId().orElse("");
    }
}
