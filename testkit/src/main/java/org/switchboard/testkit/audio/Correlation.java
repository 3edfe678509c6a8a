package org.switchboard.testkit.audio;

/**
 * Whether audio heard contains a reference recording: the normalised cross-correlation of the reference with every
 * stretch of the heard audio of its length (1 for the same waveform at any volume, near 0 for unrelated audio),
 * whole or piece by piece, computed with a fast Fourier transform so that seconds of audio take milliseconds.
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
        if (reference.length == 0 || to - from < reference.length) {
            return Match.NONE;
        }
        return new Heard(heard, from, to, reference.length).best(reference, 0, reference.length);
    }

    /**
     * How well {@code heard[from..to)} holds {@code reference} when the audio may have slipped on its way (a packet
     * lost, a jitter buffer that dropped or stretched a frame): the reference is cut into pieces of
     * {@code pieceLength} samples, each piece is aligned on its own, and the coefficient is the mean of the pieces'
     * (silent pieces left out); the offset is the first compared piece's, less its place in the reference.
     */
    public static Match pieces(short[] heard, int from, int to, short[] reference, int pieceLength) {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("pieceLength must be positive, was " + pieceLength);
        }
        if (reference.length == 0 || to - from < reference.length) {
            return Match.NONE;
        }
        Heard h = new Heard(heard, from, to, pieceLength);
        double sum = 0;
        int compared = 0;
        int offset = -1;
        for (int start = 0; start + pieceLength <= reference.length; start += pieceLength) {
            Match m = h.best(reference, start, start + pieceLength);
            if (m.offset() < 0) {
                continue; // a silent piece says nothing
            }
            if (compared == 0) {
                offset = Math.max(0, m.offset() - start);
            }
            sum += m.coefficient();
            compared++;
        }
        return compared == 0 ? Match.NONE : new Match(sum / compared, offset);
    }

    /** The heard audio's spectrum and energies, computed once for every stretch of the reference aligned to it. */
    private static final class Heard {
        private final int m;
        private final int size;
        private final double[] re;
        private final double[] im;
        private final double[] prefix;

        Heard(short[] heard, int from, int to, int longestStretch) {
            this.m = to - from;
            this.size = Integer.highestOneBit(m + longestStretch - 1) << 1;
            this.re = new double[size];
            this.im = new double[size];
            this.prefix = new double[m + 1];
            for (int i = 0; i < m; i++) {
                re[i] = heard[from + i];
                prefix[i + 1] = prefix[i] + (double) heard[from + i] * heard[from + i];
            }
            fft(re, im, false);
        }

        /** The best alignment of {@code reference[from..to)}; {@link Match#NONE} when it is silent. */
        Match best(short[] reference, int from, int to) {
            int n = to - from;
            double referenceEnergy = 0;
            for (int i = from; i < to; i++) {
                referenceEnergy += (double) reference[i] * reference[i];
            }
            if (Math.sqrt(referenceEnergy / n) < MIN_RMS) {
                return Match.NONE;
            }
            double[] cr = new double[size];
            double[] ci = new double[size];
            for (int i = 0; i < n; i++) {
                cr[i] = reference[from + i];
            }
            fft(cr, ci, false);
            for (int k = 0; k < size; k++) { // heard times the conjugate of the reference: correlation, not convolution
                double r = re[k] * cr[k] + im[k] * ci[k];
                double i = im[k] * cr[k] - re[k] * ci[k];
                cr[k] = r;
                ci[k] = i;
            }
            fft(cr, ci, true);
            Match best = Match.NONE;
            for (int lag = 0; lag + n <= m; lag++) {
                double windowEnergy = prefix[lag + n] - prefix[lag];
                if (Math.sqrt(windowEnergy / n) < MIN_RMS) {
                    continue;
                }
                double c = cr[lag] / size / Math.sqrt(windowEnergy * referenceEnergy);
                if (best.offset() < 0 || c > best.coefficient()) {
                    best = new Match(c, lag);
                }
            }
            return best;
        }
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
