package org.switchboard.media.dtmf;

/** The Goertzel algorithm: how strongly one frequency is present in a block of samples. */
public final class Goertzel {

    private Goertzel() {
    }

    /**
     * The amplitude of {@code freq} in {@code samples[from..to)}, scaled so that a pure sine of amplitude A over a
     * whole number of periods gives about A.
     */
    public static double amplitude(short[] samples, int from, int to, double freq, int sampleRate) {
        double coeff = 2 * Math.cos(2 * Math.PI * freq / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2)) * 2 / Math.max(1, to - from);
    }
}
