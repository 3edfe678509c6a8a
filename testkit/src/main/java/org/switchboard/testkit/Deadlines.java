package org.switchboard.testkit;

/** The pause between two checks of a condition the test waits for. */
final class Deadlines {

    /** Short enough to see a 20 ms frame change, long enough not to keep a core busy. */
    static final long STEP_MILLIS = 20;

    private Deadlines() {
    }

    /** Sleeps one step; an interrupt ends the wait as a failure. */
    static void pause() {
        try {
            Thread.sleep(STEP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
