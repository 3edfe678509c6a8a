package org.switchboard.container.sip;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The container's two deadlines on a call: a request no application answered within {@code answer.timeout} is
 * answered 480 ({@link #answerDeadline}), and an INVITE dialog with no in-dialog request or response for
 * {@code call.max-duration} is ended ({@link #watch}). Both are counted in {@link WatchdogCounts}.
 *
 * <p>Time is a dependency: the timers run on the scheduler given and idleness is measured on the clock given, so
 * tests run it on virtual time. An idle watch is one timer per dialog that is not moved by each message: when it
 * fires early (something happened meanwhile) it is set again for what is left of the period since the last activity.
 * The actions given run on the scheduler's thread and must only hand work on (they do: to the call's lane).
 */
final class CallWatchdog {

    private final ScheduledExecutorService timers;
    private final LongSupplier nanoClock;
    private final Duration answerTimeout;
    private final Optional<Duration> maxIdle;
    private final WatchdogCounts counts = new WatchdogCounts();

    /**
     * @param timers where the deadlines run
     * @param nanoClock a monotonic clock in nanoseconds, the one {@code timers} keeps time with
     * @param answerTimeout {@code answer.timeout}
     * @param maxIdle {@code call.max-duration}, empty when dialogs are not watched
     */
    CallWatchdog(ScheduledExecutorService timers, LongSupplier nanoClock, Duration answerTimeout, Optional<Duration> maxIdle) {
        this.timers = timers;
        this.nanoClock = nanoClock;
        this.answerTimeout = answerTimeout;
        this.maxIdle = maxIdle;
    }

    WatchdogCounts counts() {
        return counts;
    }

    Duration answerTimeout() {
        return answerTimeout;
    }

    Optional<Duration> maxIdle() {
        return maxIdle;
    }

    /** After {@code answer.timeout}, unless {@code answered} by then: counts it and runs {@code answer480}. */
    ScheduledFuture<?> answerDeadline(BooleanSupplier answered, Runnable answer480) {
        return timers.schedule(() -> {
            if (!answered.getAsBoolean()) {
                counts.unansweredTimedOut();
                answer480.run();
            }
        }, answerTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts watching a dialog: {@code onIdle} runs (once) when {@link Activity#touch} was not called for
     * {@code call.max-duration}; a no-op watch when that setting is off.
     */
    Activity watch(Runnable onIdle) {
        if (maxIdle.isEmpty()) {
            return Activity.NONE;
        }
        Activity a = new Activity(this, maxIdle.get().toNanos(), onIdle);
        a.arm(a.max);
        return a;
    }

    /** What a dialog reports to its watch: each in-dialog message, and its end. */
    static class Activity {

        static final Activity NONE = new Activity(null, 0, null);

        private final CallWatchdog watchdog;
        private final long max;
        private final Runnable onIdle;
        private volatile long last;
        private ScheduledFuture<?> timer; // guarded by this
        private boolean stopped; // guarded by this

        private Activity(CallWatchdog watchdog, long max, Runnable onIdle) {
            this.watchdog = watchdog;
            this.max = max;
            this.onIdle = onIdle;
            this.last = watchdog == null ? 0 : watchdog.nanoClock.getAsLong();
        }

        /** An in-dialog request or response, either way: the idle period starts again. */
        void touch() {
            if (watchdog != null) {
                last = watchdog.nanoClock.getAsLong();
            }
        }

        /** The dialog ended: nothing more to watch. */
        synchronized void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
        }

        private synchronized void arm(long delay) {
            if (!stopped) {
                timer = watchdog.timers.schedule(this::check, delay, TimeUnit.NANOSECONDS);
            }
        }

        private void check() {
            long idle = watchdog.nanoClock.getAsLong() - last;
            if (idle < max) {
                arm(max - idle);
                return;
            }
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
            }
            watchdog.counts.idleDialogEnded();
            onIdle.run();
        }
    }
}
