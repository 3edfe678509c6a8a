package org.switchboard.media.session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one clock every channel's media runs on: a single thread wakes every 20 ms at absolute deadlines (so errors
 * do not add up) and runs every registered task itself: a channel's packet goes out with a non-blocking send from
 * this thread, so no other thread has to be woken to send (waking one costs milliseconds on a loaded or virtual
 * machine). Tasks must be quick and must not block. The lateness of recent ticks is kept for the benchmark.
 */
public final class MediaClock implements AutoCloseable {

    /** The packetization interval. */
    public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Logger LOG = LoggerFactory.getLogger(MediaClock.class);
    private static final int LATENESS_WINDOW = 4096;

    private final List<Runnable> tasks = new CopyOnWriteArrayList<>();
    private final long[] lateness = new long[LATENESS_WINDOW];
    private final Thread thread;
    private volatile boolean running = true;
    private long ticks;

    private MediaClock() {
        thread = new Thread(this::run, "media-clock");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts a clock. */
    public static MediaClock start() {
        MediaClock clock = new MediaClock();
        clock.thread.start();
        return clock;
    }

    /** Runs {@code task} on every tick until the returned handle is closed. */
    public AutoCloseable register(Runnable task) {
        tasks.add(task);
        return () -> tasks.remove(task);
    }

    private void run() {
        long next = System.nanoTime() + TICK_NANOS;
        while (running) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            synchronized (lateness) {
                lateness[(int) (ticks++ % LATENESS_WINDOW)] = now - next;
            }
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("media task failed", e);
                }
            }
            next += TICK_NANOS;
            long behind = System.nanoTime() - next;
            if (behind > 5 * TICK_NANOS) {
                // far behind (the machine was stalled): skip the missed ticks rather than burst them out
                next += (behind / TICK_NANOS) * TICK_NANOS;
            }
        }
    }

    /** The given quantile (0..1) of how late recent ticks woke, in microseconds. */
    public long latenessMicros(double quantile) {
        long[] copy;
        synchronized (lateness) {
            copy = Arrays.copyOf(lateness, (int) Math.min(ticks, LATENESS_WINDOW));
        }
        if (copy.length == 0) {
            return 0;
        }
        Arrays.sort(copy);
        return copy[(int) Math.min(copy.length - 1, Math.floor(quantile * copy.length))] / 1000;
    }

    /** How many channels' tasks run on each tick. */
    public int taskCount() {
        return tasks.size();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
