package org.switchboard.sip.stack.transaction;

import java.util.Optional;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * The layer above the transactions (a user agent core or a proxy core). Called on I/O or timer
 * threads: implementations must not block.
 */
public interface TransactionUser {

    /**
     * Whether to look at a message at all: one refused here is dropped before any transaction exists, with no
     * response (not even 100 Trying), as a blacklist wants.
     */
    default boolean accepts(IncomingMessage message) {
        return true;
    }

    /** A new request (not ACK, not CANCEL) arrived and has a server transaction that awaits responses. */
    void onRequest(ServerTransaction transaction);

    /**
     * A CANCEL arrived; {@code invite} is the server transaction it cancels, when one exists. The TU
     * answers the CANCEL (200, or 481 without a transaction) and, if the INVITE has no final response
     * yet, answers the INVITE with 487.
     */
    void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite);

    /** An ACK that belongs to no transaction: the ACK for a 2xx (RFC 3261 section 17.1.1.3). */
    void onAck(IncomingMessage ack);

    /** A response that matches no client transaction, such as a 2xx retransmission after the transaction ended. */
    void onStrayResponse(IncomingMessage response);
}
