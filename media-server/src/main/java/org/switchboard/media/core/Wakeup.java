package org.switchboard.media.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How a channel thread waits for something to change: it sleeps until {@link #wake} (or its own deadline) and never
 * polls. Any thread wakes it, the media clock too, without a lock: the clock must never wait for a channel thread that
 * holds one. Only the channel thread waits.
 */
final class Wakeup {

    // something a waiting application may care about happened (a message, a digit, the end of a play, a hangup...)
    private final AtomicBoolean changePending = new AtomicBoolean();
    private volatile Thread waiting;

    /** Something changed: the waiting thread looks at its condition again (at once, if it is not waiting yet). */
    void wake() {
        changePending.set(true);
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Sleeps until {@link #wake} (at once if it was called since the last wait) or {@code nanos} pass (negative: no limit). */
    void await(long nanos, Object blocker) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, nanos);
        waiting = Thread.currentThread();
        try {
            while (!changePending.getAndSet(false)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (nanos < 0) {
                    LockSupport.park(blocker);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(blocker, left);
                }
            }
        } finally {
            waiting = null;
        }
    }
}
