package org.switchboard.sip.stack.transaction;

import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.Destination;

/** A client transaction: one request sent (with its own Via branch) and the responses to it. */
public interface ClientTransaction {

    /** The request as sent, top Via included. */
    SipRequest request();

    /** Where it was sent. */
    Destination destination();

    /** Whether a final response has arrived. */
    boolean hasFinalResponse();
}
