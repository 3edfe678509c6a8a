package org.switchboard.connection;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential delays between reconnect attempts: {@code first}, doubled after each failed attempt, never
 * more than {@code cap}.
 *
 * @param first the delay before the first attempt; positive
 * @param cap the longest delay; at least {@code first}
 */
public record Backoff(Duration first, Duration cap) {

    /** Checks the delays. */
    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first reconnect delay must be positive, was " + first.toMillis() + " ms");
        }
        if (cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("the longest reconnect delay (" + cap.toMillis()
                    + " ms) is below the first (" + first.toMillis() + " ms)");
        }
    }

    /** The delay before attempt {@code attempt} (0 for the first). */
    public Duration delay(int attempt) {
        long doubled = first.toMillis() << Math.min(Math.max(attempt, 0), 20);
        return Duration.ofMillis(Math.min(cap.toMillis(), doubled));
    }
}
