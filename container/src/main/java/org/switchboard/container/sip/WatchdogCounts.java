package org.switchboard.container.sip;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the call watchdog did since the container started: requests it answered 480 because no application
 * answered them within {@code answer.timeout}, and dialogs it ended with BYE because nothing happened in them for
 * {@code call.max-duration}. Plain counters, for a metrics registry to read (nothing here binds them).
 */
public final class WatchdogCounts {

    private final LongAdder unanswered = new LongAdder();
    private final LongAdder idleEnded = new LongAdder();

    WatchdogCounts() {
    }

    /** Requests answered 480 at {@code answer.timeout}: no application had answered them. */
    public long unanswered() {
        return unanswered.sum();
    }

    /** Dialogs ended with BYE after {@code call.max-duration} without an in-dialog request or response. */
    public long idleDialogsEnded() {
        return idleEnded.sum();
    }

    void unansweredTimedOut() {
        unanswered.increment();
    }

    void idleDialogEnded() {
        idleEnded.increment();
    }

    @Override
    public String toString() {
        return "unanswered=" + unanswered() + " idleDialogsEnded=" + idleDialogsEnded();
    }
}
