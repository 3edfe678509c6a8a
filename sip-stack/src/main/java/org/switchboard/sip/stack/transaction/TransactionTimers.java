package org.switchboard.sip.stack.transaction;

import java.util.concurrent.ScheduledFuture;

/** The two timers every transaction state machine runs at most: a retransmission and a deadline. */
abstract class TransactionTimers {

    // guarded by the subclass's monitor
    ScheduledFuture<?> retransmit;
    ScheduledFuture<?> timeout;

    void cancelTimers() {
        if (retransmit != null) {
            retransmit.cancel(false);
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
