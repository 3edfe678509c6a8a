package org.switchboard.media.audio;

/**
 * A streaming converter between the channels' 8 kHz and a whole multiple of it (16, 24, 32, 48, 64 kHz), one 20 ms
 * frame at a time: a windowed-sinc low-pass at 4 kHz run as a polyphase filter, with the filter's history kept
 * between frames so that frame edges leave no clicks (converting each frame on its own would). Not thread-safe: one
 * stream per converter.
 */
public final class RateConverter {

    /** Taps per phase: the filter spans this many 8 kHz samples. */
    private static final int SPAN = 24;

    private final int factor;
    private final boolean up;
    private final double[] taps;
    /** The input kept for the filter: the last samples at the input's rate. */
    private final double[] history;

    private RateConverter(int factor, boolean up) {
        this.factor = factor;
        this.up = up;
        int length = SPAN * factor;
        this.taps = new double[length];
        double center = (length - 1) / 2.0;
        double cutoff = 0.5 / factor; // 4 kHz in cycles per sample of the higher rate
        for (int i = 0; i < length; i++) {
            double x = i - center;
            double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double blackman = 0.42 + 0.5 * Math.cos(Math.PI * x / (center + 1)) + 0.08 * Math.cos(2 * Math.PI * x / (center + 1));
            taps[i] = sinc * blackman;
        }
        double sum = 0;
        for (double t : taps) {
            sum += t;
        }
        for (int i = 0; i < length; i++) {
            // unity gain at 0 Hz; an upsampler's zeros between samples cost a factor that it puts back
            taps[i] = taps[i] / sum * (up ? factor : 1);
        }
        this.history = new double[up ? SPAN : length];
    }

    /** From 8 kHz up to {@code rate}. */
    public static RateConverter upTo(int rate) {
        return new RateConverter(factorOf(rate), true);
    }

    /** From {@code rate} down to 8 kHz. */
    public static RateConverter downFrom(int rate) {
        return new RateConverter(factorOf(rate), false);
    }

    private static int factorOf(int rate) {
        if (rate < Audio.TELEPHONY_RATE || rate % Audio.TELEPHONY_RATE != 0) {
            throw new IllegalArgumentException("not a multiple of 8000: " + rate);
        }
        return rate / Audio.TELEPHONY_RATE;
    }

    /** The ratio between the two rates. */
    public int factor() {
        return factor;
    }

    /** Converts {@code in} (a whole number of samples; down: a multiple of the factor); returns the new samples. */
    public short[] convert(short[] in) {
        return up ? up(in) : down(in);
    }

    private short[] up(short[] in) {
        short[] out = new short[in.length * factor];
        for (int n = 0; n < in.length; n++) {
            push(in[n]);
            for (int p = 0; p < factor; p++) {
                double sum = 0;
                // the output between input samples n-1 and n: the taps of phase p against the newest inputs
                for (int k = 0; k < SPAN; k++) {
                    sum += taps[p + k * factor] * history[SPAN - 1 - k];
                }
                out[n * factor + p] = clip(sum);
            }
        }
        return out;
    }

    private short[] down(short[] in) {
        short[] out = new short[in.length / factor];
        for (int n = 0; n < out.length; n++) {
            for (int p = 0; p < factor; p++) {
                push(in[n * factor + p]);
            }
            double sum = 0;
            for (int k = 0; k < taps.length; k++) {
                sum += taps[k] * history[history.length - 1 - k];
            }
            out[n] = clip(sum);
        }
        return out;
    }

    private void push(double sample) {
        System.arraycopy(history, 1, history, 0, history.length - 1);
        history[history.length - 1] = sample;
    }

    private static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
