package org.switchboard.testkit.audio;

/**
 * Loudness of 8 kHz audio in 20 ms frames: speech-like activity (frames above a level, short pauses bridged, as
 * between words) and silence (frames below it).
 */
public final class Energy {

    /** Samples in one 20 ms frame. */
    public static final int FRAME = Tones.SAMPLE_RATE / 50;
    /** A frame at or above this RMS (about -40 dB below full scale) is active; below it, silent. */
    public static final double ACTIVE_RMS = 300;
    /** Pauses up to this long inside an active stretch are bridged, as between words. */
    public static final int BRIDGED_PAUSE_MILLIS = 300;

    private Energy() {
    }

    /** The root mean square of {@code samples[from..to)}; 0 when empty. */
    public static double rms(short[] samples, int from, int to) {
        if (to <= from) {
            return 0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /**
     * The longest active stretch of {@code samples[from..to)} in ms: consecutive frames at or above
     * {@code threshold}, pauses of at most {@link #BRIDGED_PAUSE_MILLIS} inside it counted too.
     */
    public static long longestActiveMillis(short[] samples, int from, int to, double threshold) {
        int bridged = BRIDGED_PAUSE_MILLIS / 20;
        int longest = 0;
        int runStart = -1;
        int lastActive = -1;
        int frames = (to - from) / FRAME;
        for (int f = 0; f < frames; f++) {
            int start = from + f * FRAME;
            if (rms(samples, start, start + FRAME) >= threshold) {
                if (runStart < 0 || f - lastActive - 1 > bridged) {
                    runStart = f;
                }
                lastActive = f;
                longest = Math.max(longest, lastActive - runStart + 1);
            }
        }
        return longest * 20L;
    }

    /** How long, in ms, {@code samples[from..to)} has been below {@code threshold} at its end (whole frames). */
    public static long trailingQuietMillis(short[] samples, int from, int to, double threshold) {
        long quiet = 0;
        for (int end = to; end - FRAME >= from; end -= FRAME) {
            if (rms(samples, end - FRAME, end) >= threshold) {
                break;
            }
            quiet += 20;
        }
        return quiet;
    }

    /** The loudest 20 ms frame's RMS in {@code samples[from..to)}. */
    public static double peakFrameRms(short[] samples, int from, int to) {
        double peak = 0;
        for (int start = from; start + FRAME <= to; start += FRAME) {
            peak = Math.max(peak, rms(samples, start, start + FRAME));
        }
        return peak;
    }
}
