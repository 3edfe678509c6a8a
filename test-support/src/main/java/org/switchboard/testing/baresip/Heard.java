package org.switchboard.testing.baresip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a softphone heard so far in a call: the 16-bit samples its decoder produced (the first channel), at the
 * decoder's rate (8 kHz for G.711, 16 kHz for G.722, 48 kHz for Opus).
 *
 * @param sampleRate samples per second
 * @param samples    the samples, oldest first
 */
public record Heard(int sampleRate, short[] samples) {

    /** Nothing heard yet. */
    static final Heard NOTHING = new Heard(8000, new short[0]);

    /** How many milliseconds were heard. */
    public long millis() {
        return samples.length * 1000L / sampleRate;
    }

    /** The part from {@code fromMillis} on (empty when shorter). */
    public Heard since(long fromMillis) {
        int from = (int) Math.min(samples.length, fromMillis * sampleRate / 1000);
        return new Heard(sampleRate, Arrays.copyOfRange(samples, from, samples.length));
    }

    /** The root mean square of the samples: about 0 for silence, thousands for a prompt at speaking level. */
    public double rms() {
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, samples.length));
    }

    /**
     * How strongly a tone of {@code freq} Hz sounds in the loudest 200 ms window: near the tone's peak amplitude when
     * it is there, near 0 when not. Goertzel's algorithm over a Hann window, so that a loud tone a few tens of hertz
     * away does not leak into the measure.
     */
    public double tone(double freq) {
        int window = sampleRate / 5;
        double coefficient = 2 * Math.cos(2 * Math.PI * freq / sampleRate);
        double max = 0;
        for (int from = 0; from + window <= samples.length; from += window / 2) {
            double s1 = 0;
            double s2 = 0;
            for (int i = 0; i < window; i++) {
                double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (window - 1));
                double s = hann * samples[from + i] + coefficient * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
            // the Hann window's gain is one half
            max = Math.max(max, 4 * Math.sqrt(Math.max(0, power)) / window);
        }
        return max;
    }

    /**
     * Reads a 16-bit PCM WAV file, possibly one still being written: the sizes in its header are not trusted (a
     * recorder fills them in only when it closes the file); the samples are whatever follows the {@code data} chunk's
     * header.
     */
    public static Heard read(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int rate = 0;
        int channels = 1;
        int at = 12; // after "RIFF" <size> "WAVE"
        while (at + 8 <= b.limit()) {
            String id = new String(new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)},
                    StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("fmt ")) {
                channels = b.getShort(at + 10);
                rate = b.getInt(at + 12);
            } else if (id.equals("data")) {
                if (rate == 0 || channels < 1) {
                    throw new IOException(wav + ": no format before the data (" + channels + " channels, rate " + rate + ")");
                }
                // the first channel: Opus is decoded in stereo, both channels the same for a mono sender
                short[] samples = new short[(b.limit() - at - 8) / 2 / channels];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = b.getShort(at + 8 + 2 * channels * i);
                }
                return new Heard(rate, samples);
            }
            at += 8 + size + (size & 1);
        }
        return new Heard(rate == 0 ? 8000 : rate, new short[0]);
    }
}
