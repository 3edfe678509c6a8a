package org.switchboard.media.codec;

/**
 * ITU-T G.722 at 64 kbit/s (mode 1): 16 kHz audio split by a 24-tap quadrature mirror filter into a lower band coded
 * with 6-bit ADPCM and a higher band coded with 2-bit ADPCM, one byte per pair of input samples. Written from the
 * Recommendation's block description (quantizers, log scale factor adaptation, the two-pole six-zero adaptive
 * predictor); the sub-band signals are kept at the Recommendation's 15-bit range while input and output are 16-bit.
 * One instance encodes or decodes one stream.
 */
final class G722 {

    /** The QMF coefficients h0..h23 (symmetric; they sum to 8192). */
    private static final int[] QMF = {3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3};
    /** Lower band decision levels, 6-bit quantizer (magnitudes, before scaling). */
    private static final int[] Q6 = {0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786,
        858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919};
    /** Lower band codes of negative and positive differences, by quantizer interval. */
    private static final int[] ILN = {0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14,
        13, 12, 11, 10, 9, 8, 7, 6, 5, 4};
    private static final int[] ILP = {0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42,
        41, 40, 39, 38, 37, 36, 35, 34, 33, 32};
    /** Lower band inverse quantizer outputs: 6-bit for the output, 4-bit for the predictor. */
    private static final int[] QM6 = {-136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280,
        -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776,
        -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360,
        8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728,
        432, 136, -432, -136};
    private static final int[] QM4 = {0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288,
        4240, 2584, 1200, 0};
    /** Lower band log scale factor multipliers, by magnitude class of the 4-bit code. */
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    /** Antilog table of the scale factors. */
    private static final int[] ILB = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656,
        2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008};
    /** Higher band: codes, inverse quantizer, scale factor multipliers. */
    private static final int[] IHN = {0, 1, 0};
    private static final int[] IHP = {0, 3, 2};
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    private static final int[] WH = {0, -214, 798};
    private static final int[] RH2 = {2, 1, 2, 1};

    private final Band low = new Band(32, 18432, 8, WL);
    private final Band high = new Band(8, 22528, 10, WH);
    /** QMF delay line, newest first. */
    private final int[] qmf = new int[24];

    /**
     * Encodes {@code length} (even) 16 kHz samples from {@code pcm[0]} into {@code length / 2} bytes of {@code out}.
     */
    void encode(short[] pcm, int length, byte[] out) {
        for (int j = 0; j + 1 < length; j += 2) {
            push(pcm[j], pcm[j + 1]);
            long even = 0;
            long odd = 0;
            for (int i = 0; i < 12; i++) {
                even += (long) QMF[2 * i] * qmf[2 * i];
                odd += (long) QMF[2 * i + 1] * qmf[2 * i + 1];
            }
            int xl = saturate((int) ((even + odd) >> 14));
            int xh = saturate((int) ((even - odd) >> 14));

            int el = saturate(xl - low.s);
            int magnitude = el >= 0 ? el : -(el + 1);
            int i = 1;
            while (i < Q6.length && magnitude >= (Q6[i] * low.det) >> 12) {
                i++;
            }
            int il = el < 0 ? ILN[i] : ILP[i];
            low.adapt((low.det * QM4[il >> 2]) >> 15, RL42[il >> 2]);

            int eh = saturate(xh - high.s);
            int mh = (eh >= 0 ? eh : -(eh + 1)) >= (564 * high.det) >> 12 ? 2 : 1;
            int ih = eh < 0 ? IHN[mh] : IHP[mh];
            high.adapt((high.det * QM2[ih]) >> 15, RH2[ih]);

            out[j / 2] = (byte) ((ih << 6) | il);
        }
    }

    /** Decodes {@code length} bytes from {@code codes[from]} into {@code 2 × length} 16 kHz samples at out[offset]. */
    void decode(byte[] codes, int from, int length, short[] out, int offset) {
        for (int j = 0; j < length; j++) {
            int code = codes[from + j] & 0xFF;
            int il = code & 0x3F;
            int ih = code >> 6;
            int rl = clamp(low.s + ((low.det * QM6[il]) >> 15), -16384, 16383);
            low.adapt((low.det * QM4[il >> 2]) >> 15, RL42[il >> 2]);
            int dh = (high.det * QM2[ih]) >> 15;
            int rh = clamp(high.s + dh, -16384, 16383);
            high.adapt(dh, RH2[ih]);

            // the receive QMF: even outputs from the sum of the bands, odd ones from their difference
            push(rl + rh, rl - rh);
            long even = 0;
            long odd = 0;
            for (int i = 0; i < 12; i++) {
                even += (long) QMF[2 * i] * qmf[2 * i + 1];
                odd += (long) QMF[2 * i + 1] * qmf[2 * i];
            }
            out[offset + 2 * j] = (short) saturate((int) (even >> 11));
            out[offset + 2 * j + 1] = (short) saturate((int) (odd >> 11));
        }
    }

    /** Shifts two values into the QMF delay line: {@code first} then {@code second} (newest, at index 0). */
    private void push(int first, int second) {
        System.arraycopy(qmf, 0, qmf, 2, 22);
        qmf[1] = first;
        qmf[0] = second;
    }

    static int saturate(int v) {
        return clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /** One sub-band's ADPCM state: scale factor adaptation and the pole-zero predictor. */
    private static final class Band {
        private final int maxLog;
        private final int shift;
        private final int[] multipliers;
        /** Log scale factor and scale factor. */
        private int log;
        int det;
        /** Predictor output, and its zero section's part. */
        int s;
        private int sz;
        /** Quantized differences (d[0] newest), partial reconstructions, reconstructions; pole and zero coefficients. */
        private final int[] d = new int[7];
        private final int[] p = new int[3];
        private final int[] r = new int[3];
        private final int[] a = new int[3];
        private final int[] b = new int[7];

        Band(int det, int maxLog, int shift, int[] multipliers) {
            this.det = det;
            this.maxLog = maxLog;
            this.shift = shift;
            this.multipliers = multipliers;
        }

        /** Takes the quantized difference {@code dq} (magnitude class {@code cls}): new scale factor and prediction. */
        void adapt(int dq, int cls) {
            log = clamp(((log * 32512) >> 15) + multipliers[cls], 0, maxLog);
            int exponent = shift - (log >> 11);
            int mantissa = ILB[(log >> 6) & 31];
            det = (exponent < 0 ? mantissa << -exponent : mantissa >> exponent) << 2;

            d[0] = dq;
            r[0] = saturate(s + dq);
            p[0] = saturate(sz + dq);
            // second pole: sign agreement of the partial reconstructions, leaking towards zero
            int a1x4 = saturate(a[1] << 2);
            int w = sign(p[0]) == sign(p[1]) ? -a1x4 : a1x4;
            w = Math.min(w, 32767);
            int a2 = (sign(p[0]) == sign(p[2]) ? 128 : -128) + (w >> 7) + ((a[2] * 32512) >> 15);
            a2 = clamp(a2, -12288, 12288);
            // first pole, kept within the stability triangle the second one leaves
            int a1 = saturate((sign(p[0]) == sign(p[1]) ? 192 : -192) + ((a[1] * 32640) >> 15));
            int bound = saturate(15360 - a2);
            a1 = clamp(a1, -bound, bound);
            // zeros: sign-sign updates with leakage
            int step = dq == 0 ? 0 : 128;
            for (int i = 6; i >= 1; i--) {
                b[i] = saturate((sign(d[i]) == sign(dq) ? step : -step) + ((b[i] * 32640) >> 15));
            }
            for (int i = 6; i >= 1; i--) {
                d[i] = d[i - 1];
            }
            r[2] = r[1];
            r[1] = r[0];
            p[2] = p[1];
            p[1] = p[0];
            a[2] = a2;
            a[1] = a1;

            int sp = saturate(((a[1] * saturate(r[1] + r[1])) >> 15) + ((a[2] * saturate(r[2] + r[2])) >> 15));
            int zeros = 0;
            for (int i = 6; i >= 1; i--) {
                zeros = saturate(zeros + ((b[i] * saturate(d[i] + d[i])) >> 15));
            }
            sz = zeros;
            s = saturate(sp + sz);
        }

        private static int sign(int v) {
            return v >> 15;
        }
    }
}
