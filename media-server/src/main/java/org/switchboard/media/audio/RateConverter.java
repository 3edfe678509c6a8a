package org.switchboard.media.audio;

/**
 * A streaming sample-rate converter between any two rates, one chunk (a 20 ms frame) at a time: a rational polyphase
 * filter (up by {@code L}, a windowed-sinc low-pass at the lower rate's Nyquist frequency, down by {@code M}, computed
 * only where an output sample falls), with the input's history kept between chunks so that frame edges leave no
 * clicks (converting each frame on its own would). 8, 16 and 48 kHz convert with small factors (2, 3, 6); a 44.1 kHz
 * stream works too, with a longer filter. Not thread-safe: one stream per converter.
 */
public final class RateConverter {

    /** Input samples each output is computed from, at the lower of the two rates. */
    private static final int SPAN = 24;

    private final int from;
    private final int to;
    private final int up;
    private final int down;
    private final double[] taps;
    /** Taps per phase: the input samples one output is computed from. */
    private final int width;
    /** The last {@link #width} inputs, stored twice so that the newest window is always one contiguous run. */
    private final double[] history;
    private int newest;
    /** Where the next output falls, in units of the up-sampled rate after the newest input. */
    private int phase;

    private RateConverter(int from, int to) {
        if (from < 1000 || to < 1000 || from > 192_000 || to > 192_000) {
            throw new IllegalArgumentException("rates outside 1 kHz..192 kHz: " + from + " to " + to);
        }
        this.from = from;
        this.to = to;
        int gcd = gcd(from, to);
        this.up = to / gcd;
        this.down = from / gcd;
        int factor = Math.max(up, down);
        this.width = SPAN * factor / up + 1;
        this.taps = new double[width * up];
        double center = (SPAN * factor - 1) / 2.0;
        double cutoff = 0.5 / factor; // the lower Nyquist frequency, in cycles per up-sampled sample
        double sum = 0;
        for (int i = 0; i < SPAN * factor; i++) {
            double x = i - center;
            double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double blackman = 0.42 + 0.5 * Math.cos(Math.PI * x / (center + 1))
                    + 0.08 * Math.cos(2 * Math.PI * x / (center + 1));
            taps[i] = sinc * blackman;
            sum += taps[i];
        }
        for (int i = 0; i < taps.length; i++) {
            taps[i] = taps[i] / sum * up; // unity gain at 0 Hz; the zeros stuffed between inputs cost a factor of up
        }
        this.history = new double[2 * width];
    }

    /** A converter from {@code from} Hz to {@code to} Hz. */
    public static RateConverter between(int from, int to) {
        return new RateConverter(from, to);
    }

    /** The input rate. */
    public int from() {
        return from;
    }

    /** The output rate. */
    public int to() {
        return to;
    }

    /** The most outputs {@code inputs} samples give (at most one more than the exact ratio, by the phase carried). */
    public int maxOutput(int inputs) {
        return (int) ((long) inputs * up / down) + 1;
    }

    /**
     * Converts {@code length} samples of {@code in} from {@code offset} into {@code out} from {@code outOffset}
     * (room for {@link #maxOutput}); returns the samples written. A 20 ms frame gives exactly 20 ms.
     */
    public int convert(short[] in, int offset, int length, short[] out, int outOffset) {
        int n = outOffset;
        for (int i = 0; i < length; i++) {
            newest = newest + 1 == width ? 0 : newest + 1;
            history[newest] = in[offset + i];
            history[newest + width] = in[offset + i];
            for (; phase < up; phase += down) {
                out[n++] = output(phase);
            }
            phase -= up;
        }
        return n - outOffset;
    }

    /** Converts {@code in} whole; returns the new samples. */
    public short[] convert(short[] in) {
        short[] out = new short[maxOutput(in.length)];
        return java.util.Arrays.copyOf(out, convert(in, 0, in.length, out, 0));
    }

    /** The output {@code p} up-sampled steps after the newest input: the taps of that phase against the inputs. */
    private short output(int p) {
        double sum = 0;
        // history[newest + width - k] is the input k steps back, for k below width
        int base = newest + width;
        for (int k = 0, t = p; t < taps.length; k++, t += up) {
            sum += taps[t] * history[base - k];
        }
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
