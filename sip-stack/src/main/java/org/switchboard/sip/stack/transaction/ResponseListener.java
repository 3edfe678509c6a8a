package org.switchboard.sip.stack.transaction;

import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.TransportError;

/** Receives what happens to a client transaction. Called on I/O or timer threads: must not block. */
public interface ResponseListener {

    /** A response arrived: each provisional one, the final one, and for INVITE every 2xx (forks and retransmissions). */
    void onResponse(ClientTransaction transaction, SipResponse response);

    /** No final response came in time (Timer B or F). */
    void onTimeout(ClientTransaction transaction);

    /** The request could not be sent. */
    void onTransportError(ClientTransaction transaction, TransportError error);
}
