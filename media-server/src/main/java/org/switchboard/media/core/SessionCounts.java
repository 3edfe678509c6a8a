package org.switchboard.media.core;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The session figures FreeSWITCH reports in HEARTBEAT and {@code status}: channels created per second (now, the most
 * ever, the most in the last five minutes) and channels up at once (the most ever, in the last five minutes). Kept
 * in one bucket per second over five minutes, so reading them costs the same at any call rate. Thread-safe.
 */
final class SessionCounts {

    private static final int WINDOW_SECONDS = 300;

    private final LongSupplier millis;
    private final long[] second = new long[WINDOW_SECONDS];
    private final long[] created = new long[WINDOW_SECONDS];
    private final long[] mostUp = new long[WINDOW_SECONDS];
    private long total;
    private long rateMax;
    private long peakMax;

    SessionCounts(LongSupplier millis) {
        this.millis = millis;
        java.util.Arrays.fill(second, -1);
    }

    /** A channel was created; {@code up} channels are up now, it included. */
    synchronized void created(long up) {
        int i = bucket(millis.getAsLong() / 1000);
        created[i]++;
        mostUp[i] = Math.max(mostUp[i], up);
        total++;
        rateMax = Math.max(rateMax, created[i]);
        peakMax = Math.max(peakMax, up);
    }

    /** Channels created since start-up. */
    synchronized long total() {
        return total;
    }

    /**
     * {@code last} (created in this second), {@code rateMax}, {@code rateFiveMin}, {@code peakMax} and
     * {@code peakFiveMin} (at least the {@code up} channels now).
     */
    synchronized Map<String, Long> snapshot(long up) {
        long now = millis.getAsLong() / 1000;
        long last = 0;
        long rateFiveMin = 0;
        long peakFiveMin = up;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (second[i] > now - WINDOW_SECONDS && second[i] <= now) {
                rateFiveMin = Math.max(rateFiveMin, created[i]);
                peakFiveMin = Math.max(peakFiveMin, mostUp[i]);
                if (second[i] == now) {
                    last = created[i];
                }
            }
        }
        return Map.of("last", last, "rateMax", rateMax, "rateFiveMin", rateFiveMin, "peakMax", Math.max(peakMax, up),
                "peakFiveMin", peakFiveMin);
    }

    private int bucket(long sec) {
        int i = (int) Math.floorMod(sec, (long) WINDOW_SECONDS);
        if (second[i] != sec) {
            second[i] = sec;
            created[i] = 0;
            mostUp[i] = 0;
        }
        return i;
    }
}
