package org.switchboard.testing.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time: nothing runs until the test calls {@link #advance}, which runs every task that falls
 * due meanwhile, in order of its due time, on the calling thread, with {@link #elapsed} set to that time while it
 * runs. Tasks scheduled by a running task run in the same call when they fall due before its end. So timer logic
 * that takes its {@link ScheduledExecutorService} as a dependency is tested to the millisecond without sleeping,
 * and "nothing more is scheduled" ({@link #pending}) replaces waiting to see that nothing happens.
 *
 * <p>Canceled tasks leave the queue at once, like the production scheduler's. A task that throws fails the
 * {@link #advance} that ran it, where a real scheduler would keep the exception in a future nobody reads. Thread-safe: other threads may
 * schedule while the test advances; the tasks themselves run only on the advancing thread.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    /** How much virtual time has passed since this scheduler was made. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** How many tasks wait to fall due. */
    public synchronized int pending() {
        return queue.size();
    }

    /** How long until the next task falls due; empty when none waits. */
    public synchronized Optional<Duration> nextDue() {
        Task<?> next = queue.peek();
        return next == null ? Optional.empty() : Optional.of(Duration.ofNanos(next.due - now));
    }

    /** Lets {@code time} pass, running each task that falls due meanwhile (tasks already due first). */
    public void advance(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, was asked to move " + time.toMillis() + " ms");
        }
        long target;
        synchronized (this) {
            target = now + time.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            }
            next.run();
            next.rethrow();
        }
    }

    /** Runs the tasks due now (those submitted with no delay), without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(initialDelay), positive(unit.toNanos(period))));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command, null), unit.toNanos(initialDelay), -positive(unit.toNanos(delay))));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    /** Does not wait: virtual time only moves when the test advances it. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private static long positive(long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("the period must be positive, was " + period + " ns");
        }
        return period;
    }

    private synchronized <V> Task<V> enqueue(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("the scheduler was shut down");
        }
        task.due = now + Math.max(0, task.due);
        task.sequence = sequence++;
        queue.add(task);
        return task;
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    /** A task with its due time; periodic ones (rate > 0, fixed delay < 0) go back into the queue after each run. */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long period;
        private long due;
        private long sequence;

        Task(Callable<V> callable, long delay, long period) {
            super(callable);
            this.due = delay;
            this.period = period;
        }

        @Override
        public void run() {
            if (period == 0) {
                super.run();
            } else if (runAndReset()) {
                synchronized (ManualScheduler.this) {
                    due = period > 0 ? due + period : now - period;
                    sequence = ManualScheduler.this.sequence++;
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            }
        }

        /** What the task threw, thrown again where the test advances time, which a real scheduler would keep. */
        void rethrow() {
            if (!isDone() || isCancelled()) {
                return;
            }
            try {
                get();
            } catch (ExecutionException e) {
                throw new AssertionError("a scheduled task failed at " + elapsed().toMillis() + " ms", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean canceled = super.cancel(mayInterruptIfRunning);
            remove(this);
            return canceled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task<?> t) {
                int byDue = Long.compare(due, t.due);
                return byDue != 0 ? byDue : Long.compare(sequence, t.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
