package org.switchboard.sip.stack.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The protocol timers of RFC 3261 section 17: T1 (round-trip estimate), T2 (longest retransmit
 * interval for non-INVITE requests and INVITE responses) and T4 (how long a message may stay in the
 * network). Timers A to M derive from them. Tests shorten them.
 *
 * @param t1 the RTT estimate
 * @param t2 the retransmit cap
 * @param t4 the network lifetime
 */
public record TimerConfig(Duration t1, Duration t2, Duration t4) {

    /** RFC 3261 default T1: 500 ms. */
    public static final Duration DEFAULT_T1 = Duration.ofMillis(500);
    /** RFC 3261 default T2: 4 s. */
    public static final Duration DEFAULT_T2 = Duration.ofSeconds(4);
    /** RFC 3261 default T4: 5 s. */
    public static final Duration DEFAULT_T4 = Duration.ofSeconds(5);
    /** The RFC 3261 defaults. */
    public static final TimerConfig DEFAULTS = new TimerConfig(DEFAULT_T1, DEFAULT_T2, DEFAULT_T4);

    public TimerConfig {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        if (t1.toMillis() < 1) {
            throw new IllegalArgumentException("T1 must be at least 1 ms, was " + t1.toMillis() + " ms");
        }
        if (t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("T2 (" + t2.toMillis() + " ms) must not be below T1 (" + t1.toMillis() + " ms)");
        }
        if (t4.isNegative()) {
            throw new IllegalArgumentException("T4 must not be negative, was " + t4.toMillis() + " ms");
        }
    }

    /** Timers scaled from T1 with the RFC's ratios (T2 = 8 T1, T4 = 10 T1), for tests. */
    public static TimerConfig scaled(Duration t1) {
        return new TimerConfig(t1, t1.multipliedBy(8), t1.multipliedBy(10));
    }

    /** 64 T1: Timers B, F, H, J, L and M. */
    public Duration transactionTimeout() {
        // in nanoseconds: Duration.multipliedBy goes through BigDecimal, and each call asks this several times
        return Duration.ofNanos(Math.multiplyExact(t1.toNanos(), 64));
    }

    long t1Millis() {
        return t1.toMillis();
    }

    long t2Millis() {
        return t2.toMillis();
    }

    long t4Millis() {
        return t4.toMillis();
    }
}
