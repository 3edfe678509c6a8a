package org.switchboard.media.session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one clock every channel's media runs on: a few threads (one by default; a server runs one fewer than its cores, see
 * {@link #start(int, MediaMeters, int)}) run every registered task once per 20 ms, at absolute deadlines (so errors
 * do not add up), and run the tasks themselves: a channel's packet goes out with a non-blocking send from a clock
 * thread, so no other thread has to be woken to send (waking one costs milliseconds on a loaded or virtual machine).
 * Tasks must be quick and must not block.
 *
 * <p>The 20 ms are split into {@value #PHASES} phases and each task is given the least busy one for good: the
 * clock wakes at every phase and runs only that phase's tasks. A task's moment within its period therefore varies
 * with the work of its own phase, not with that of every channel, which keeps each stream's packet spacing even
 * when thousands of channels send; and a thread sleeps between its phases, so other threads get the core in short
 * gaps instead of preempting a long burst. Tasks of different phases keep a fixed order from one period to the
 * next, so a frame handed from one task to another is always taken exactly once per period.
 *
 * <p>With several threads the phases are dealt out in turn (two threads: one runs the even phases, the other the
 * odd ones), so each phase still starts at its own moment, 2 ms after the one before. The threads exist because the
 * cost of a channel's packet is almost all the kernel's send system call (a profile at 2,500 channels found the one
 * clock thread in {@code send} nearly all the time, a whole core, and falling behind); one socket per channel leaves
 * no way to send several channels' packets with one call, so the calls are spread over the cores instead. While
 * every phase's work ends within its 2 ms the order above holds; a phase that runs longer overlaps the next one,
 * which another thread has started meanwhile, and a frame handed between tasks of those two phases may then be
 * taken twice or not at all in that period (a bridge or conference repeats or drops 20 ms; nothing else is shared).
 *
 * <p>The threads can ask for real-time scheduling ({@link #start(int)}), as FreeSWITCH's media threads do: under
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
    private static final int BUCKETS = 1001;
    private static final long LANE_STOP_MILLIS = 1000;

    private final List<List<Runnable>> phases;
    private final long[] lateness = new long[LATENESS_WINDOW];
    // |interval between two sends of a stream - 20 ms| in 100 µs buckets, the last for 100 ms or more: counted by
    // each clock thread in its own array (a few cache lines stay hot and no two threads write the same ones); this
    // one takes the counts of any other thread
    private final AtomicLongArray otherSendIntervalError = new AtomicLongArray(BUCKETS);
    private final List<Lane> lanes;
    private final int realtimePriority;
    private final MediaMeters meters;
    private final CountDownLatch scheduled;
    private final AtomicInteger refusedRealtime = new AtomicInteger();
    // when phase 0 of the first period is due: set once every thread has its scheduling (asking takes a while)
    private final java.util.concurrent.CompletableFuture<Long> origin = new java.util.concurrent.CompletableFuture<>();
    private volatile boolean running = true;
    private long wakeUps;

    /** One clock thread: the phases it runs and the send intervals its tasks counted. */
    private final class Lane extends Thread {
        final int[] ownPhases;
        final AtomicLongArray sendIntervalError = new AtomicLongArray(BUCKETS);

        Lane(int index, int threads) {
            super(threads == 1 ? "media-clock" : "media-clock-" + index);
            ownPhases = IntStream.range(0, PHASES).filter(p -> p % threads == index).toArray();
            setDaemon(true);
        }

        MediaClock clock() {
            return MediaClock.this;
        }

        @Override
        public void run() {
            runLane(this);
        }
    }

    private MediaClock(int realtimePriority, MediaMeters meters, int threads) {
        this.meters = meters;
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("real-time priority must be 0 (none) or 1-99, was " + realtimePriority);
        }
        if (threads < 1 || threads > PHASES) {
            throw new IllegalArgumentException("clock threads must be 1-" + PHASES + ", was " + threads);
        }
        this.realtimePriority = realtimePriority;
        phases = java.util.stream.Stream.<List<Runnable>>generate(CopyOnWriteArrayList::new).limit(PHASES).toList();
        lanes = IntStream.range(0, threads).mapToObj(i -> new Lane(i, threads)).toList();
        scheduled = new CountDownLatch(threads);
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
        return start(realtimePriority, meters, 1);
    }

    /**
     * As {@link #start(int, MediaMeters)}, with {@code threads} clock threads (1 to {@value #PHASES}; several
     * let a server send from more than one core), each asking for the real-time priority.
     */
    public static MediaClock start(int realtimePriority, MediaMeters meters, int threads) {
        MediaClock clock = new MediaClock(realtimePriority, meters, threads);
        clock.lanes.forEach(Thread::start);
        try {
            clock.scheduled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clock.origin.complete(System.nanoTime() + PHASE_NANOS);
        return clock;
    }

    /** Whether the clock's threads run with real-time scheduling (every one of them). */
    public boolean realtime() {
        return realtimePriority > 0 && refusedRealtime.get() == 0;
    }

    /** How many threads run the clock's phases. */
    public int threads() {
        return lanes.size();
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

    private void runLane(Lane lane) {
        if (realtimePriority > 0) {
            java.util.Optional<String> refused = RealtimeScheduling.requestForCurrentThread(realtimePriority);
            if (refused.isEmpty()) {
                LOG.info("media clock: real-time scheduling (SCHED_RR, priority {}) for {}", realtimePriority,
                        lane.getName());
            } else {
                refusedRealtime.incrementAndGet();
                LOG.warn("media clock: normal scheduling, packet timing will suffer under load ({}); grant "
                        + "CAP_SYS_NICE or an RLIMIT_RTPRIO of {}, or set the priority to 0", refused.get(), realtimePriority);
            }
        }
        scheduled.countDown();
        int[] own = lane.ownPhases;
        int i = 0;
        long next = origin.join() + own[0] * PHASE_NANOS;
        while (running) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            synchronized (lateness) {
                lateness[(int) (wakeUps++ % LATENESS_WINDOW)] = now - next;
            }
            for (Runnable task : phases.get(own[i])) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("media task failed", e);
                }
            }
            int previous = own[i];
            i = (i + 1) % own.length;
            int ahead = own[i] - previous;
            next += (ahead > 0 ? ahead : ahead + PHASES) * PHASE_NANOS;
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
        int bucket = (int) Math.min(BUCKETS - 1, error / 100_000);
        if (Thread.currentThread() instanceof Lane lane && lane.clock() == this) {
            // the lane's own array: only this thread writes it, so a plain add is safe and costs no locked instruction
            lane.sendIntervalError.lazySet(bucket, lane.sendIntervalError.get(bucket) + 1);
        } else {
            otherSendIntervalError.incrementAndGet(bucket);
        }
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
        long[] copy = new long[BUCKETS];
        Arrays.setAll(copy, otherSendIntervalError::get);
        for (Lane lane : lanes) {
            for (int i = 0; i < BUCKETS; i++) {
                copy[i] += lane.sendIntervalError.get(i);
            }
        }
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

    /**
     * Stops the clock: returns once no task runs any more (a lane ends the phase it is in, waited for up to a
     * second each), so nothing is sent on sockets or event loops closed after this.
     */
    @Override
    public void close() {
        running = false;
        lanes.forEach(Thread::interrupt);
        for (Lane lane : lanes) {
            if (lane == Thread.currentThread()) {
                continue; // a task closing its own clock
            }
            try {
                lane.join(LANE_STOP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
