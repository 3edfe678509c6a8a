package org.switchboard.esl;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.switchboard.executors.SerialExecutor;

/**
 * One channel's events on their way to the listener: batches (one per socket read) queue here and one task at a
 * time, on a {@link SerialExecutor}, hands them to the listener in order. When the queue runs empty the task
 * waits a few microseconds for the next batch before it ends (at most one lane of a session at a time waits, see
 * {@code lingering}), so that a steady stream costs no thread wake-up per read on the I/O thread.
 *
 * @param <T> a batch
 */
final class EventLane<T> implements Runnable {

    /** How long a drained lane waits for another batch: 50 µs, {@code -Dswitchboard.esl.lingerMicros=0} turns waiting off. */
    static final long LINGER_NANOS = Long.getLong("switchboard.esl.lingerMicros", 50) * 1_000;

    private final SerialExecutor serial;
    private final Consumer<T> deliver;
    private final AtomicBoolean lingering;
    private final long lingerNanos;
    private final ConcurrentLinkedQueue<T> batches = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param serial where the lane's task runs
     * @param deliver hands one batch to the listener (never throws)
     * @param lingering shared by the lanes of one session: held by the one lane that waits
     * @param lingerNanos how long a drained lane waits for another batch ({@link #LINGER_NANOS}; 0: not at all)
     */
    EventLane(SerialExecutor serial, Consumer<T> deliver, AtomicBoolean lingering, long lingerNanos) {
        this.serial = serial;
        this.deliver = deliver;
        this.lingering = lingering;
        this.lingerNanos = lingerNanos;
    }

    /** Queues a batch; starts the lane's task unless it runs already. */
    void offer(T batch) {
        batches.add(batch);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                serial.execute(this);
            } catch (RuntimeException rejected) { // the session's executor is shut down
                scheduled.set(false);
                throw rejected;
            }
        }
    }

    @Override
    public void run() {
        while (true) {
            for (T b; (b = batches.poll()) != null; ) {
                deliver.accept(b);
            }
            if (linger()) {
                continue;
            }
            scheduled.set(false);
            // a batch offered after the poll above saw the flag still set: take it on, unless its offer did
            if (batches.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Whether another batch came while this lane waited (if it could: one lane of the session at a time). */
    private boolean linger() {
        if (lingerNanos <= 0 || !lingering.compareAndSet(false, true)) {
            return false;
        }
        try {
            long deadline = System.nanoTime() + lingerNanos;
            while (batches.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        } finally {
            lingering.set(false);
        }
    }
}
