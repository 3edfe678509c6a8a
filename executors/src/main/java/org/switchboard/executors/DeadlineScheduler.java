package org.switchboard.executors;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The scheduler for protocol timers and command deadlines: one daemon thread that sleeps until the next deadline.
 * A ticking timer wheel wakes hundreds of times a second with nothing due, and on a small machine each of those
 * wake-ups competes with the media clock (docs/benchmarks.md). A canceled deadline leaves the queue at once, since
 * most deadlines are canceled by their answer long before they are due.
 */
public final class DeadlineScheduler {

    private DeadlineScheduler() {
    }

    /** A new scheduler whose thread is named {@code threadName}; shut it down when its owner closes. */
    public static ScheduledExecutorService create(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
