package org.switchboard.testkit.audio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.switchboard.media.dtmf.Goertzel;

/**
 * Tones in 8 kHz audio: the amplitude of one frequency (Goertzel), whether a window holds a tone, and the
 * strongest frequencies of a stretch (to say what was heard instead).
 */
public final class Tones {

    /** Samples per second of everything measured here. */
    public static final int SAMPLE_RATE = 8000;
    /** The window a tone is looked for in: 100 ms, so a tone is told from one about 10 Hz away. */
    public static final int WINDOW = SAMPLE_RATE / 10;
    /** The quietest tone that counts: amplitude 200 of 32767, about -44 dB below full scale. */
    public static final double MIN_AMPLITUDE = 200;
    /**
     * The share of a window's amplitude the tone must carry: a pure sine has a ratio near 1, the same sine in
     * equally loud noise or with one other equally loud tone about 0.7; below half, it is not "a tone".
     */
    public static final double MIN_PURITY = 0.5;
    private static final double SCAN_FROM = 50;
    private static final double SCAN_TO = 3950;
    private static final double SCAN_STEP = 10;

    private Tones() {
    }

    /**
     * A frequency found in audio.
     *
     * @param frequency in Hz
     * @param amplitude the Goertzel amplitude (a sine of amplitude A measures about A)
     */
    public record Peak(double frequency, double amplitude) {
        @Override
        public String toString() {
            return Math.round(frequency) + " Hz (amplitude " + Math.round(amplitude) + ")";
        }
    }

    /** The amplitude of {@code hz} in {@code samples[from..to)}. */
    public static double amplitude(short[] samples, int from, int to, double hz) {
        return Goertzel.amplitude(samples, from, to, hz, SAMPLE_RATE);
    }

    /**
     * Whether {@code samples[from..to)} holds a tone of {@code hz}: its amplitude is at least {@link #MIN_AMPLITUDE}
     * and at least {@link #MIN_PURITY} of the window's peak amplitude (RMS times the square root of two).
     */
    public static boolean present(short[] samples, int from, int to, double hz) {
        double amplitude = amplitude(samples, from, to, hz);
        double peak = Energy.rms(samples, from, to) * Math.sqrt(2);
        return amplitude >= MIN_AMPLITUDE && amplitude >= MIN_PURITY * peak;
    }

    /**
     * Where a tone of {@code hz} is first present in {@code samples[from..to)}: the start of the first
     * {@link #WINDOW} (searched every half window) that holds it, or -1.
     */
    public static int find(short[] samples, int from, int to, double hz) {
        for (int start = from; start + WINDOW <= to; start += WINDOW / 2) {
            if (present(samples, start, start + WINDOW, hz)) {
                return start;
            }
        }
        return -1;
    }

    /**
     * The {@code count} strongest frequencies of {@code samples[from..to)} between 50 and 3950 Hz, strongest first:
     * local maxima of a 10 Hz scan over the last second at most, those under {@link #MIN_AMPLITUDE} left out.
     */
    public static List<Peak> strongest(short[] samples, int from, int to, int count) {
        int start = Math.max(from, to - SAMPLE_RATE);
        int bins = (int) ((SCAN_TO - SCAN_FROM) / SCAN_STEP) + 1;
        double[] amplitudes = new double[bins];
        for (int i = 0; i < bins; i++) {
            amplitudes[i] = amplitude(samples, start, to, SCAN_FROM + i * SCAN_STEP);
        }
        List<Peak> peaks = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            boolean max = (i == 0 || amplitudes[i] >= amplitudes[i - 1]) && (i == bins - 1 || amplitudes[i] > amplitudes[i + 1]);
            if (max && amplitudes[i] >= MIN_AMPLITUDE) {
                peaks.add(new Peak(SCAN_FROM + i * SCAN_STEP, amplitudes[i]));
            }
        }
        peaks.sort(Comparator.comparingDouble(Peak::amplitude).reversed());
        return List.copyOf(peaks.subList(0, Math.min(count, peaks.size())));
    }

    /** A sine of {@code hz} (or the sum of several, sharing {@code amplitude}) lasting {@code millis}. */
    public static short[] sine(int millis, double amplitude, double... hz) {
        short[] out = new short[millis * SAMPLE_RATE / 1000];
        for (int i = 0; i < out.length; i++) {
            double v = 0;
            for (double f : hz) {
                v += amplitude * Math.sin(2 * Math.PI * f * i / SAMPLE_RATE);
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }
}
