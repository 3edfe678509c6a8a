package org.switchboard.sip.stack.transaction;

import io.netty.util.Timeout;

/** The two timers every transaction state machine runs at most: a retransmission and a deadline. */
abstract class TransactionTimers {

    // guarded by the subclass's monitor
    Timeout retransmit;
    Timeout timeout;

    void cancelTimers() {
        if (retransmit != null) {
            retransmit.cancel();
        }
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
