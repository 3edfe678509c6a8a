package org.switchboard.sip.stack.transaction;

import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * What the state machines send through: the transport layer the transaction layer is attached to, or a recorder in
 * the unit tests that run the timers on virtual time without sockets.
 */
interface Wire {

    /** Sends a request (or an ACK) to {@code destination}. */
    CompletableFuture<Void> send(SipMessage message, Destination destination);

    /** Sends a response back the way {@code request} came. */
    CompletableFuture<Void> sendResponse(SipResponse response, IncomingMessage request);
}
