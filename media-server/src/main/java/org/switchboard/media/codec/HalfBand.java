package org.switchboard.media.codec;

/**
 * Streaming 2:1 rate conversion between 8 kHz and 16 kHz, frame by frame: a half-band low-pass FIR (a
 * Blackman-windowed sinc cut off at 4 kHz) removes the images when doubling the rate and the aliases when halving
 * it. Each instance keeps the history of one direction of one stream.
 */
final class HalfBand {

    private static final int TAPS = 47;
    private static final float[] H = new float[TAPS];

    static {
        int center = TAPS / 2;
        double sum = 0;
        double[] h = new double[TAPS];
        for (int k = 0; k < TAPS; k++) {
            int n = k - center;
            double x = n / 2.0;
            double sinc = n == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double window = 0.42 - 0.5 * Math.cos(2 * Math.PI * k / (TAPS - 1)) + 0.08 * Math.cos(4 * Math.PI * k / (TAPS - 1));
            h[k] = sinc * window;
            sum += h[k];
        }
        for (int k = 0; k < TAPS; k++) {
            H[k] = (float) (h[k] / sum); // unity gain at DC
        }
    }

    /** The input history before the current frame (newest last), then the frame. */
    private final short[] history;
    private final int keep;
    private short[] work = new short[0];

    private HalfBand(int keep) {
        this.keep = keep;
        this.history = new short[keep];
    }

    /** For 8 kHz to 16 kHz. */
    static HalfBand up() {
        return new HalfBand(TAPS / 2 + 1);
    }

    /** For 16 kHz to 8 kHz. */
    static HalfBand down() {
        return new HalfBand(TAPS);
    }

    /** Doubles the rate of {@code length} samples of {@code in} into {@code out} (2 × length samples). */
    void up(short[] in, int length, short[] out) {
        short[] x = join(in, length);
        for (int m = 0; m < 2 * length; m++) {
            int p = m & 1;
            int n = m >> 1;
            float sum = 0;
            for (int k = p; k < TAPS; k += 2) {
                sum += H[k] * x[keep + n - (k - p) / 2];
            }
            out[m] = clip(2 * sum);
        }
        remember(x, length);
    }

    /** Halves the rate of {@code length} (even) samples of {@code in} into {@code out} (length / 2 samples). */
    void down(short[] in, int length, short[] out) {
        short[] x = join(in, length);
        for (int n = 0; n < length / 2; n++) {
            float sum = 0;
            // the even phase: with the up filter's and the G.722 QMFs' odd delays, a round trip delays by whole 8 kHz
            // samples (an odd total would be half a sample, a phase error the listening test would count as noise)
            int newest = keep + 2 * n;
            for (int k = 0; k < TAPS; k++) {
                sum += H[k] * x[newest - k];
            }
            out[n] = clip(sum);
        }
        remember(x, length);
    }

    /** The history and the frame side by side; reused (allocated again only for a longer frame). */
    private short[] join(short[] in, int length) {
        if (work.length < keep + length) {
            work = new short[keep + length];
        }
        short[] x = work;
        System.arraycopy(history, 0, x, 0, keep);
        System.arraycopy(in, 0, x, keep, length);
        return x;
    }

    private void remember(short[] x, int length) {
        System.arraycopy(x, length, history, 0, keep);
    }

    private static short clip(float v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
