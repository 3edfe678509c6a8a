package org.switchboard.sip.stack.transport;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the transport layer; they only grow. */
public final class TransportStats {

    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();

    TransportStats() {
    }

    void received() {
        received.increment();
    }

    void malformed() {
        malformed.increment();
    }

    void sent() {
        sent.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void tlsHandshakeFailed() {
        tlsHandshakeFailures.increment();
    }

    /** Messages read. */
    public long messagesReceived() {
        return received.sum();
    }

    /** Inputs that could not be read as messages (answered with 400 where possible, else dropped). */
    public long malformedInputs() {
        return malformed.sum();
    }

    /** Messages written. */
    public long messagesSent() {
        return sent.sum();
    }

    /** Messages that could not be sent, and failed connection attempts. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /**
     * TLS handshakes that failed, inbound and outbound: certificates refused (expired, untrusted, for another
     * host), no common protocol or cipher, or peers that spoke something else.
     */
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    @Override
    public String toString() {
        return "received=" + messagesReceived() + " malformed=" + malformedInputs() + " sent=" + messagesSent()
                + " sendFailures=" + sendFailures() + " tlsHandshakeFailures=" + tlsHandshakeFailures();
    }
}
