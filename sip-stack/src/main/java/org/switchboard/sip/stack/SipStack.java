package org.switchboard.sip.stack;

import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.SipMeters;
import org.switchboard.sip.stack.transport.TransportLayer;

/** A running SIP stack: transports bound, transactions delivering to one {@link TransactionUser}. */
public final class SipStack implements AutoCloseable {

    private final TransportLayer transport;
    private final TransactionLayer transactions;

    private SipStack(TransportLayer transport, TransactionLayer transactions) {
        this.transport = transport;
        this.transactions = transactions;
    }

    /**
     * Binds the transports and starts delivering requests to {@code user}. Blocks until bound.
     *
     * @throws org.switchboard.sip.stack.transport.TransportException when a listen point cannot be bound
     */
    public static SipStack start(SipStackConfig config, TransactionUser user) {
        TransactionLayer transactions = config.timerScheduler()
                .map(scheduler -> TransactionLayer.create(config.timers(), scheduler, user))
                .orElseGet(() -> TransactionLayer.create(config.timers(), user));
        try {
            TransportLayer transport = TransportLayer.start(config.transport(), transactions,
                    SipMeters.create(config.meters(), config.stackName()));
            transactions.attach(transport);
            return new SipStack(transport, transactions);
        } catch (RuntimeException e) {
            transactions.close();
            throw e;
        }
    }

    /** The transport layer. */
    public TransportLayer transport() {
        return transport;
    }

    /** The transaction layer. */
    public TransactionLayer transactions() {
        return transactions;
    }

    /** Stops the timers and closes every socket. */
    @Override
    public void close() {
        // sockets first: a message read while the timers stop would find their scheduler gone
        transport.close();
        transactions.close();
    }
}
