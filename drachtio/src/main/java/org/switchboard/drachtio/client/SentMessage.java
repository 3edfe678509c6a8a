package org.switchboard.drachtio.client;

import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.message.SipMessage;

/**
 * The server's report of a SIP message it sent for the application: the transaction and dialog it belongs to
 * and the message as it went out (the server fills in Via, Call-ID, tags and the rest).
 *
 * @param transactionId the server's id of the transaction the message belongs to
 * @param dialogId the dialog the message made or belongs to, empty when none
 * @param message the message as sent, empty when the server's copy could not be read
 */
public record SentMessage(String transactionId, String dialogId, Optional<SipMessage> message) {

    /** Checks that nothing is null. */
    public SentMessage {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(dialogId, "dialogId");
        Objects.requireNonNull(message, "message");
    }

    /** The Call-ID of the message as sent, empty when unknown. */
    public String callId() {
        return message.flatMap(SipMessage::callId).orElse("");
    }
}
