package org.switchboard.executors;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Decides which new calls a node takes while it is overloaded, from how long its oldest waiting work has waited
 * rather than from a fixed rate: a node that answers late makes callers retransmit, and the retransmissions are
 * more work still, so it is better to refuse some calls at once (503 with Retry-After) and answer the rest in
 * time.
 *
 * <p>Every {@link Settings#period()} (its owner calls {@link #evaluate()}) it asks each watched {@link Backlog}
 * since when its oldest item has waited. When the oldest wait has stayed at or over {@link Settings#high()} for as
 * long as {@code high} (a standing queue: a burst, or one thread held up for less than that, passes) while at
 * least ten new calls were asked for (fewer are no load to shed: the node is slow for another reason), the share of
 * new calls admitted is halved, and again at most once per {@code high} while it stays there (the effect of a cut
 * shows only once the work queued before it is done). A backlog that lost items for being full ({@link Backlog#lost()})
 * since the last look counts as a standing queue at once. While the oldest wait stays under {@link Settings#low()} the
 * share grows back by equal steps, from none to all in {@link Settings#recovery()}; between the two it holds. The
 * band, the standing time and the slow growth keep it from flapping. Admission is by credit, not by chance: with a
 * share of 0.25 exactly every fourth call is taken.
 *
 * <p>It only decides; its owner answers the refused calls, and logs what {@link #evaluate()} reports.
 *
 * <p>Threads: {@link #admit()} is called from any thread (event loops: it never blocks for long, and at full
 * admission reads one volatile field); {@link #evaluate()} from one timer thread at a time.
 */
public final class LoadShedder {

    // fewer new calls than this while the queue stands is no load to shed: the node is slow for another reason (a
    // cold start, a pause), and refusing those few would not shorten the wait
    private static final int MIN_ARRIVALS = 10;
    // the whole share: shares are integers of this, so admit() needs no floating point
    private static final long WHOLE = 1L << 20;
    // below this share nothing is admitted: a trickle of calls into a node that cannot keep up only fails later
    private static final double FLOOR = 1.0 / 64;

    /**
     * When shedding starts and stops.
     *
     * @param high the oldest wait at which the admitted share is cut (halved)
     * @param low the oldest wait under which the admitted share grows back; below {@code high}
     * @param recovery how long the share takes to grow from none to all while waits stay under {@code low}
     * @param period how often the backlogs are looked at
     * @param retryAfter what a refused caller is told to wait (Retry-After, whole seconds)
     */
    public record Settings(Duration high, Duration low, Duration recovery, Duration period, Duration retryAfter) {

        /** 200 ms, 50 ms, 2 s, 50 ms, 1 s: shedding starts well before a caller's first retransmission (500 ms). */
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(200), Duration.ofMillis(50),
                Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(1));

        /** Checks the values. */
        public Settings {
            for (Duration d : List.of(high, low, recovery, period, retryAfter)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("overload durations must be positive: " + d);
                }
            }
            if (low.compareTo(high) >= 0) {
                throw new IllegalArgumentException("the low mark (" + low.toMillis() + " ms) must be below the high mark ("
                        + high.toMillis() + " ms)");
            }
        }
    }

    /** Work that waits somewhere: requests not answered yet, tasks queued. */
    @FunctionalInterface
    public interface Backlog {
        /** What {@link #oldestSince()} returns when nothing waits. */
        long NOTHING = Long.MAX_VALUE;

        /** The clock time (the shedder's clock, nanoseconds) since when the oldest item waits, or {@link #NOTHING}. */
        long oldestSince();

        /**
         * How many items this backlog has lost for being full since it was made (a kernel receive buffer that dropped
         * datagrams); 0, the default, for one that loses none. A loss means the queue stood long enough to fill up,
         * however short the waits looked when asked.
         */
        default long lost() {
            return 0;
        }
    }

    private final Settings settings;
    private final LongSupplier nanoClock;
    private final List<Backlog> backlogs = new CopyOnWriteArrayList<>();
    private final ShedCounters counters = new ShedCounters();
    private final Object lock = new Object();
    private final long step; // growth per period, of WHOLE
    private volatile long share = WHOLE; // of WHOLE; changed by evaluate only
    private long credit; // guarded by lock
    private long lastCut = Long.MIN_VALUE; // evaluate's thread only
    private boolean cutOnce; // evaluate's thread only
    private boolean above; // the last look saw the oldest wait at or over the high mark; evaluate's thread only
    private long aboveSince; // since when it has; evaluate's thread only
    private long arrivalsSince; // new calls asked for until then; evaluate's thread only
    private volatile long lastOldest;
    private volatile boolean lastLoss; // the last look found items lost
    private long lost; // what the backlogs had lost at the last look; evaluate's thread only
    private final long[] recentArrivals; // arrivals() at the last looks, one high mark back at most; evaluate's thread only
    private int recentSlot; // evaluate's thread only

    /** A shedder on {@code settings}, reading time from {@code nanoClock} ({@code System::nanoTime} outside tests). */
    public LoadShedder(Settings settings, LongSupplier nanoClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        long recovery = settings.recovery().toNanos();
        this.step = Math.max(1, (WHOLE * settings.period().toNanos() + recovery - 1) / recovery); // rounded up: all within recovery
        long period = settings.period().toNanos();
        this.recentArrivals = new long[(int) Math.max(1, (settings.high().toNanos() + period - 1) / period)];
    }

    /** Adds a backlog to watch. */
    public void watch(Backlog backlog) {
        backlogs.add(Objects.requireNonNull(backlog, "backlog"));
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** What one {@link #evaluate()} changed, for its caller to log. */
    public enum Change {
        /** Nothing. */
        NONE,
        /** Shedding started: the first cut after full admission. */
        STARTED,
        /** The share was cut again, or grew without reaching all. */
        ADJUSTED,
        /** Every new call is taken again. */
        OVER
    }

    /**
     * Looks at the backlogs once and adjusts the admitted share; returns what changed. A backlog that lost items since
     * the last look counts as a standing queue at once: a kernel buffer fills in a stall shorter than the standing
     * time (4 MB hold about a tenth of a second of SIP at thousands of calls per second), and what it drops comes back
     * as retransmissions.
     */
    public Change evaluate() {
        long now = nanoClock.getAsLong();
        long oldest = oldestWait(now);
        long lostNow = lost();
        boolean loss = lostNow > lost;
        lost = lostNow;
        long arrived = arrivals();
        long arrivedHighAgo = recentArrivals[recentSlot];
        recentArrivals[recentSlot] = arrived;
        recentSlot = (recentSlot + 1) % recentArrivals.length;
        long current = share;
        long next = current;
        long high = settings.high().toNanos();
        if (oldest >= high || loss) {
            if (!above) {
                above = true;
                aboveSince = now;
                arrivalsSince = arrived;
            }
            boolean loaded = cutOnce || arrived - (loss ? arrivedHighAgo : arrivalsSince) >= MIN_ARRIVALS;
            if ((loss || now - aboveSince >= high) && loaded && (!cutOnce || now - lastCut >= high)) {
                next = current / 2 < WHOLE * FLOOR ? 0 : current / 2;
                lastCut = now;
                cutOnce = true;
            }
        } else {
            above = false;
            if (oldest < settings.low().toNanos()) {
                next = Math.min(WHOLE, current + step);
            }
        }
        lastOldest = oldest;
        lastLoss = loss;
        if (next == current) {
            return Change.NONE;
        }
        share = next;
        if (current == WHOLE) {
            counters.episodes.increment();
            return Change.STARTED;
        }
        if (next == WHOLE) {
            cutOnce = false;
            return Change.OVER;
        }
        return Change.ADJUSTED;
    }

    /** The oldest wait the last {@link #evaluate()} saw. */
    public Duration oldestWait() {
        return Duration.ofNanos(lastOldest);
    }

    /** Whether the last {@link #evaluate()} found a backlog that had lost items since the look before. */
    public boolean lossSeen() {
        return lastLoss;
    }

    private long lost() {
        long sum = 0;
        for (Backlog b : backlogs) {
            sum += b.lost();
        }
        return sum;
    }

    private long arrivals() {
        return counters.admitted.sum() + counters.shed.sum();
    }

    private long oldestWait(long now) {
        long oldest = 0;
        for (Backlog b : backlogs) {
            long since = b.oldestSince();
            if (since != Backlog.NOTHING) {
                oldest = Math.max(oldest, now - since);
            }
        }
        return oldest;
    }

    /** Whether to take one new call; a refused one is counted and should get 503 with {@link #retryAfter()}. */
    public boolean admit() {
        long s = share;
        if (s == WHOLE) {
            counters.admitted.increment();
            return true;
        }
        boolean taken;
        synchronized (lock) {
            credit += s;
            taken = credit >= WHOLE;
            if (taken) {
                credit -= WHOLE;
            }
        }
        (taken ? counters.admitted : counters.shed).increment();
        return taken;
    }

    /** Whether part of the new calls are refused now. */
    public boolean overloaded() {
        return share < WHOLE;
    }

    /** The share of new calls taken now, 0 to 1. */
    public double admittedShare() {
        return (double) share / WHOLE;
    }

    /** What a refused caller is told to wait. */
    public Duration retryAfter() {
        return settings.retryAfter();
    }

    /** The Retry-After header value: {@link #retryAfter()} in whole seconds, at least 1. */
    public String retryAfterSeconds() {
        return Long.toString(Math.max(1, settings.retryAfter().toSeconds()));
    }

    /** The counts since start. */
    public ShedCounters counters() {
        return counters;
    }
}
