package org.switchboard.testkit.audio;

/**
 * Whether audio heard contains a reference recording: the normalised cross-correlation of the reference with every
 * stretch of the heard audio of its length (1 for the same waveform at any volume, near 0 for unrelated audio),
 * computed with a fast Fourier transform so that seconds of audio take milliseconds.
 */
public final class Correlation {

    /** A stretch quieter than this RMS is not compared (the coefficient of near-silence is noise). */
    private static final double MIN_RMS = 1;

    private Correlation() {
    }

    /**
     * The best alignment found.
     *
     * @param coefficient the normalised cross-correlation there, -1 to 1 (0 when nothing could be compared)
     * @param offset where in the heard samples the reference starts (relative to {@code from}), -1 when none
     */
    public record Match(double coefficient, int offset) {
        /** Nothing compared: the heard audio is shorter than the reference or silent. */
        public static final Match NONE = new Match(0, -1);
    }

    /** The alignment of {@code reference} within {@code heard[from..to)} with the highest coefficient. */
    public static Match best(short[] heard, int from, int to, short[] reference) {
        int n = reference.length;
        int m = to - from;
        if (n == 0 || m < n) {
            return Match.NONE;
        }
        double referenceEnergy = 0;
        for (short s : reference) {
            referenceEnergy += (double) s * s;
        }
        if (Math.sqrt(referenceEnergy / n) < MIN_RMS) {
            return Match.NONE;
        }
        int size = Integer.highestOneBit(m + n - 1) << 1;
        double[] hr = new double[size];
        double[] hi = new double[size];
        double[] rr = new double[size];
        double[] ri = new double[size];
        for (int i = 0; i < m; i++) {
            hr[i] = heard[from + i];
        }
        for (int i = 0; i < n; i++) {
            rr[i] = reference[i];
        }
        fft(hr, hi, false);
        fft(rr, ri, false);
        for (int k = 0; k < size; k++) { // heard times the conjugate of the reference: correlation, not convolution
            double re = hr[k] * rr[k] + hi[k] * ri[k];
            double im = hi[k] * rr[k] - hr[k] * ri[k];
            hr[k] = re;
            hi[k] = im;
        }
        fft(hr, hi, true);
        double[] prefix = new double[m + 1];
        for (int i = 0; i < m; i++) {
            prefix[i + 1] = prefix[i] + (double) heard[from + i] * heard[from + i];
        }
        Match best = Match.NONE;
        for (int lag = 0; lag + n <= m; lag++) {
            double windowEnergy = prefix[lag + n] - prefix[lag];
            if (Math.sqrt(windowEnergy / n) < MIN_RMS) {
                continue;
            }
            double c = hr[lag] / size / Math.sqrt(windowEnergy * referenceEnergy);
            if (best.offset() < 0 || c > best.coefficient()) {
                best = new Match(c, lag);
            }
        }
        return best;
    }

    /** An in-place iterative radix-2 transform of (re, im), whose length is a power of two; inverse unscaled. */
    private static void fft(double[] re, double[] im, boolean inverse) {
        int size = re.length;
        for (int i = 1, j = 0; i < size; i++) {
            int bit = size >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= size; len <<= 1) {
            double angle = 2 * Math.PI / len * (inverse ? 1 : -1);
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int start = 0; start < size; start += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = start + k;
                    int b = a + len / 2;
                    double br = re[b] * cr - im[b] * ci;
                    double bi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - br;
                    im[b] = im[a] - bi;
                    re[a] += br;
                    im[a] += bi;
                    double next = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = next;
                }
            }
        }
    }
}
