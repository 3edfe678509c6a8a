package org.switchboard.testing.poll;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, bounded, for state that other threads settle after the event a test observed. A test waits for a
 * condition, never for a fixed time: on a loaded machine a fixed sleep is either too short (a flaky failure) or, to
 * be safe, far too long everywhere else.
 */
public final class Poll {

    private static final long STEP_MILLIS = 10;

    private Poll() {
    }

    /**
     * Checks {@code condition} until it holds or {@code limit} has passed; the caller asserts afterwards, so a
     * timeout shows up as the ordinary assertion failure with its message.
     *
     * @return whether the condition held
     */
    public static boolean until(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(STEP_MILLIS);
        }
        return true;
    }

    /**
     * Waits until {@code condition} holds; fails with an {@link AssertionError} naming {@code what} (the state waited
     * for, such as "the second member muted") when it does not within {@code limit}.
     */
    public static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        if (!until(limit, condition)) {
            throw new AssertionError("waited " + limit.toMillis() + " ms for " + what + ", in vain");
        }
    }

    /**
     * Checks that {@code condition} holds all through {@code window}, measured from now; fails with an
     * {@link AssertionError} naming {@code what} at the first check where it does not. For "this does not happen":
     * first await the positive event it depends on (the mute took effect, the ACK was read), then hold the negative
     * from that point, so a slow machine cannot make the window start before the cause.
     */
    public static void holds(Duration window, String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + window.toNanos();
        while (true) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("expected " + what + " for " + window.toMillis() + " ms, but it ended after "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            if (System.nanoTime() - end >= 0) {
                return;
            }
            Thread.sleep(STEP_MILLIS);
        }
    }
}
