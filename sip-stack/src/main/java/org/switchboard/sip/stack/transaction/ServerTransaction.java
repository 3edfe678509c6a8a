package org.switchboard.sip.stack.transaction;

import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.IncomingMessage;

/** A server transaction: one request received, and the responses sent to it. */
public interface ServerTransaction {

    /** The request as received (with received/rport stamped on its top Via). */
    SipRequest request();

    /** How and from where the request arrived. */
    IncomingMessage incoming();

    /**
     * Sends a response; the transaction retransmits it as RFC 3261 requires. A 2xx to an INVITE may be
     * sent again while the transaction is in the Accepted state (the UAS core retransmits it until ACK).
     *
     * @throws IllegalStateException when a final response was already sent (other than 2xx to INVITE)
     */
    CompletableFuture<Void> respond(SipResponse response);

    /** Whether a final response has been sent. */
    boolean hasFinalResponse();
}
