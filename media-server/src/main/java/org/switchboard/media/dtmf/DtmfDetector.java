package org.switchboard.media.dtmf;

import java.util.function.Consumer;

/**
 * In-band DTMF detection for 8 kHz linear audio (a G.711 caller that sends no RFC 4733 events): Goertzel filters on
 * the eight DTMF frequencies over blocks of 205 samples (25.6 ms), a digit accepted when its row and column tones
 * dominate the block's energy, stand out from the other tones of their group and are within 8 dB of each other,
 * in two blocks in a row. Each key press is reported once. Not thread-safe: feed it from one channel's thread.
 */
public final class DtmfDetector {

    private static final int SAMPLE_RATE = 8000;
    private static final int BLOCK = 205;
    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLUMNS = {1209, 1336, 1477, 1633};
    private static final char[][] KEYS = {{'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'},
        {'*', '0', '#', 'D'}};
    /** Below this mean power per sample (about -45 dBm0 in G.711 terms) a block is silence. */
    private static final double MIN_MEAN_POWER = 150.0 * 150.0;
    private static final double TWIST = 6.3; // 8 dB
    private static final double DOMINANCE = 0.6;

    private static final double[] ROW_COEFF = coefficients(ROWS);
    private static final double[] COLUMN_COEFF = coefficients(COLUMNS);

    private final Consumer<Character> listener;
    private final double[] block = new double[BLOCK];
    private int filled;
    private char candidate;
    private char reported;

    /** A detector that hands each detected digit to {@code listener} (on the thread that feeds it). */
    public DtmfDetector(Consumer<Character> listener) {
        this.listener = listener;
    }

    private static double[] coefficients(double[] freqs) {
        double[] c = new double[freqs.length];
        for (int i = 0; i < freqs.length; i++) {
            c[i] = 2 * Math.cos(2 * Math.PI * freqs[i] / SAMPLE_RATE);
        }
        return c;
    }

    /** Feeds {@code length} samples from {@code offset}; any number at a time. */
    public void process(short[] samples, int offset, int length) {
        for (int i = 0; i < length; i++) {
            block[filled++] = samples[offset + i];
            if (filled == BLOCK) {
                filled = 0;
                decide(analyse());
            }
        }
    }

    private void decide(char digit) {
        if (digit != 0 && digit == candidate && digit != reported) {
            reported = digit;
            listener.accept(digit);
        } else if (digit == 0 && candidate == 0) {
            reported = 0; // two quiet blocks: the key was released
        }
        candidate = digit;
    }

    /** The digit this block holds, or 0. */
    private char analyse() {
        double energy = 0;
        for (double s : block) {
            energy += s * s;
        }
        if (energy / BLOCK < MIN_MEAN_POWER) {
            return 0;
        }
        double[] rows = powers(ROW_COEFF);
        double[] cols = powers(COLUMN_COEFF);
        int r = strongest(rows);
        int c = strongest(cols);
        double row = rows[r];
        double col = cols[c];
        // a pure tone of amplitude A gives a Goertzel power of (A N / 2)^2 and a block energy of N A^2 / 2
        if (row + col < DOMINANCE * energy * BLOCK / 2) {
            return 0;
        }
        if (row > col * TWIST || col > row * TWIST) {
            return 0;
        }
        if (!standsOut(rows, r) || !standsOut(cols, c)) {
            return 0;
        }
        return KEYS[r][c];
    }

    private double[] powers(double[] coefficients) {
        double[] out = new double[coefficients.length];
        for (int f = 0; f < coefficients.length; f++) {
            double coeff = coefficients[f];
            double s1 = 0;
            double s2 = 0;
            for (double x : block) {
                double s = x + coeff * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            out[f] = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        }
        return out;
    }

    private static int strongest(double[] powers) {
        int best = 0;
        for (int i = 1; i < powers.length; i++) {
            if (powers[i] > powers[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean standsOut(double[] powers, int best) {
        for (int i = 0; i < powers.length; i++) {
            if (i != best && powers[i] * TWIST > powers[best]) {
                return false;
            }
        }
        return true;
    }
}
