package org.switchboard.media.session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one clock every channel's media runs on: a single thread runs every registered task once per 20 ms, at
 * absolute deadlines (so errors do not add up), and runs the tasks itself: a channel's packet goes out with a
 * non-blocking send from this thread, so no other thread has to be woken to send (waking one costs milliseconds on
 * a loaded or virtual machine). Tasks must be quick and must not block.
 *
 * <p>The 20 ms are split into {@value #PHASES} phases and each task is given the least busy one for good: the
 * clock wakes at every phase and runs only that phase's tasks. A task's moment within its period therefore varies
 * with the work of its own phase, not with that of every channel, which keeps each stream's packet spacing even
 * when a thousand channels send; and the thread sleeps between phases, so other threads get the core in short
 * gaps instead of preempting a long burst. Tasks of different phases keep a fixed order from one period to the
 * next, so a frame handed from one task to another is always taken exactly once per period.
 *
 * <p>The thread can ask for real-time scheduling ({@link #start(int)}), as FreeSWITCH's media threads do: under
 * Linux's fair scheduler a thread that uses this much CPU is not given the core at once when its sleep ends, and
 * wake-ups came up to 10 ms late whenever any other thread was running (docs/benchmarks.md).
 */
public final class MediaClock implements AutoCloseable {

    /** The packetization interval. */
    public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How many slots a period is split into. */
    public static final int PHASES = 10;
    private static final long PHASE_NANOS = TICK_NANOS / PHASES;
    private static final Logger LOG = LoggerFactory.getLogger(MediaClock.class);
    private static final int LATENESS_WINDOW = 4096;

    private final List<List<Runnable>> phases;
    private final long[] lateness = new long[LATENESS_WINDOW];
    // |interval between two sends of a stream - 20 ms| in 100 µs buckets, the last for 100 ms or more; one array for
    // all channels (a few cache lines stay hot instead of a histogram per channel), written by this thread only
    private final AtomicLongArray sendIntervalError = new AtomicLongArray(1001);
    private final Thread thread;
    private final int realtimePriority;
    private final MediaMeters meters;
    private final java.util.concurrent.CompletableFuture<Void> scheduled = new java.util.concurrent.CompletableFuture<>();
    private volatile boolean realtime;
    private volatile boolean running = true;
    private long wakeUps;

    private MediaClock(int realtimePriority, MediaMeters meters) {
        this.meters = meters;
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("real-time priority must be 0 (none) or 1-99, was " + realtimePriority);
        }
        this.realtimePriority = realtimePriority;
        phases = java.util.stream.Stream.<List<Runnable>>generate(CopyOnWriteArrayList::new).limit(PHASES).toList();
        thread = new Thread(this::run, "media-clock");
        thread.setDaemon(true);
    }

    /** Starts a clock with the normal scheduling of the JVM's threads. */
    public static MediaClock start() {
        return start(0);
    }

    /**
     * Starts a clock whose thread asks for round-robin real-time scheduling at {@code realtimePriority} (1-99; 0:
     * do not ask). Where that is refused (no {@code CAP_SYS_NICE} or {@code RLIMIT_RTPRIO}, not Linux) the clock
     * runs with normal scheduling and says so in the log; {@link #realtime} tells which. Returns once the thread
     * has its scheduling.
     */
    public static MediaClock start(int realtimePriority) {
        return start(realtimePriority, MediaMeters.none());
    }

    /** As {@link #start(int)}, the sessions on this clock counting in {@code meters}. */
    public static MediaClock start(int realtimePriority, MediaMeters meters) {
        MediaClock clock = new MediaClock(realtimePriority, meters);
        clock.thread.start();
        clock.scheduled.join();
        return clock;
    }

    /** Whether the clock's thread runs with real-time scheduling. */
    public boolean realtime() {
        return realtime;
    }

    /** Runs {@code task} once every 20 ms, in the least busy phase, until the returned handle is closed. */
    public AutoCloseable register(Runnable task) {
        List<Runnable> phase;
        synchronized (phases) {
            phase = phases.get(0);
            for (List<Runnable> p : phases) {
                if (p.size() < phase.size()) {
                    phase = p;
                }
            }
            phase.add(task);
        }
        List<Runnable> registered = phase;
        return () -> registered.remove(task);
    }

    private void run() {
        if (realtimePriority > 0) {
            java.util.Optional<String> refused = RealtimeScheduling.requestForCurrentThread(realtimePriority);
            realtime = refused.isEmpty();
            if (realtime) {
                LOG.info("media clock: real-time scheduling (SCHED_RR, priority {})", realtimePriority);
            } else {
                LOG.warn("media clock: normal scheduling, packet timing will suffer under load ({}); grant "
                        + "CAP_SYS_NICE or an RLIMIT_RTPRIO of {}, or set the priority to 0", refused.get(), realtimePriority);
            }
        }
        scheduled.complete(null);
        long next = System.nanoTime() + PHASE_NANOS;
        int phase = 0;
        while (running) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            synchronized (lateness) {
                lateness[(int) (wakeUps++ % LATENESS_WINDOW)] = now - next;
            }
            for (Runnable task : phases.get(phase)) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("media task failed", e);
                }
            }
            phase = (phase + 1) % PHASES;
            next += PHASE_NANOS;
            long behind = System.nanoTime() - next;
            if (behind > 5 * TICK_NANOS) {
                // far behind (the machine was stalled): skip whole missed periods rather than burst them out
                next += (behind / TICK_NANOS) * TICK_NANOS;
            }
        }
    }

    /** Counts a stream's interval between two packets, as sent by a task of this clock (on the clock thread). */
    void sendInterval(long nanos) {
        long error = Math.abs(nanos - TICK_NANOS);
        int bucket = (int) Math.min(1000, error / 100_000);
        sendIntervalError.lazySet(bucket, sendIntervalError.get(bucket) + 1);
        meters.sendInterval(error);
    }

    /** The meters of the sessions on this clock. */
    MediaMeters meters() {
        return meters;
    }

    /**
     * The send-interval errors of every stream since the clock started: counts of |interval between two packets of
     * a stream - 20 ms| per 100 µs (index 1000: 100 ms or more); a snapshot.
     */
    public long[] sendIntervalErrorHistogram() {
        long[] copy = new long[sendIntervalError.length()];
        Arrays.setAll(copy, sendIntervalError::get);
        return copy;
    }

    /** The given quantile (0..1) of how late recent wake-ups (one per phase) came, in microseconds. */
    public long latenessMicros(double quantile) {
        long[] copy;
        synchronized (lateness) {
            copy = Arrays.copyOf(lateness, (int) Math.min(wakeUps, LATENESS_WINDOW));
        }
        if (copy.length == 0) {
            return 0;
        }
        Arrays.sort(copy);
        return copy[(int) Math.min(copy.length - 1, Math.floor(quantile * copy.length))] / 1000;
    }

    /** How many tasks (channels and conferences) run each period. */
    public int taskCount() {
        return phases.stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
