package org.switchboard.media.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stretch of 16-bit linear audio: sample rate, channel count and interleaved samples. Immutable: the array is
 * copied in and never handed out.
 */
public final class Audio {

    /** The rate telephony runs at (G.711, RFC 4733). */
    public static final int TELEPHONY_RATE = 8000;
    /** Media moves in 20 ms frames: this many a second. */
    public static final int FRAMES_PER_SECOND = 50;
    private static final int SINC_RADIUS = 16;

    private final int sampleRate;
    private final int channels;
    private final short[] samples;

    private Audio(int sampleRate, int channels, short[] samples, boolean copy) {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 1 kHz..192 kHz");
        }
        if (channels < 1 || channels > 8 || samples.length % channels != 0) {
            throw new IllegalArgumentException(samples.length + " samples do not make frames of " + channels + " channels");
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = copy ? samples.clone() : samples;
    }

    /** Audio from interleaved samples (copied). */
    public static Audio of(int sampleRate, int channels, short[] samples) {
        return new Audio(sampleRate, channels, Objects.requireNonNull(samples, "samples"), true);
    }

    static Audio wrap(int sampleRate, int channels, short[] samples) {
        return new Audio(sampleRate, channels, samples, false);
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Frames (samples per channel). */
    public int frames() {
        return samples.length / channels;
    }

    /** Length in milliseconds. */
    public long millis() {
        return frames() * 1000L / sampleRate;
    }

    /** A copy of the interleaved samples. */
    public short[] samples() {
        return samples.clone();
    }

    /**
     * Copies up to {@code length} interleaved samples starting at sample {@code from} into {@code out}; returns how
     * many (0 at the end). For players that stream a shared prompt without copying it whole.
     */
    public int copy(int from, short[] out, int offset, int length) {
        int n = Math.max(0, Math.min(length, samples.length - from));
        System.arraycopy(samples, from, out, offset, n);
        return n;
    }

    /** One sample. */
    public short sample(int frame, int channel) {
        return samples[frame * channels + channel];
    }

    /** The channels averaged into one. */
    public Audio toMono() {
        if (channels == 1) {
            return this;
        }
        short[] out = new short[frames()];
        for (int f = 0; f < out.length; f++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += samples[f * channels + c];
            }
            out[f] = (short) (sum / channels);
        }
        return wrap(sampleRate, 1, out);
    }

    /**
     * This audio at another rate: band-limited interpolation (a Hann-windowed sinc, low-passed at the lower of the
     * two Nyquist frequencies, so 48 kHz prompts do not alias when they become 8 kHz).
     */
    public Audio resample(int rate) {
        if (rate == sampleRate) {
            return this;
        }
        Audio mono = toMono();
        short[] in = mono.samples;
        double ratio = (double) sampleRate / rate;
        double cutoff = Math.min(1.0, 1.0 / ratio);
        int outLength = (int) Math.floor(in.length / ratio);
        short[] out = new short[outLength];
        double radius = SINC_RADIUS / cutoff;
        for (int i = 0; i < outLength; i++) {
            double center = i * ratio;
            int from = (int) Math.ceil(center - radius);
            int to = (int) Math.floor(center + radius);
            double sum = 0;
            for (int k = Math.max(0, from); k <= Math.min(in.length - 1, to); k++) {
                double x = (k - center) * cutoff;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double window = 0.5 + 0.5 * Math.cos(Math.PI * (k - center) / radius);
                sum += in[k] * sinc * window * cutoff;
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
        }
        return wrap(rate, 1, out);
    }

    /** Mono audio at 8 kHz, as a G.711 channel carries it. */
    public Audio toTelephony() {
        return toMono().resample(TELEPHONY_RATE);
    }

    /** Samples in one 20 ms frame at {@code rate} (160 at 8 kHz, 960 at 48 kHz). */
    public static int frameLength(int rate) {
        return rate / FRAMES_PER_SECOND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && a.sampleRate == sampleRate && a.channels == channels && Arrays.equals(a.samples, samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, channels) * 31 + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "audio " + sampleRate + " Hz x" + channels + ", " + millis() + " ms";
    }
}
