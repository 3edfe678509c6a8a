package org.switchboard.testing.poll;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, bounded, for state that other threads settle after the event a test observed. */
public final class Poll {

    private static final long STEP_MILLIS = 50;

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
}
