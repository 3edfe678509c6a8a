package org.switchboard.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.media.dtmf.Goertzel;

class RateConverterTest {

    private static short[] tone(double freq, int rate, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (10000 * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    /** Converts {@code in} (at {@code from}) frame by frame, 20 ms at a time, as the media clock does. */
    private static short[] byFrames(RateConverter converter, short[] in, int from, int to) {
        int per = from / 50;
        short[] out = new short[in.length / per * (to / 50)];
        short[] chunk = new short[converter.maxOutput(per)];
        int written = 0;
        for (int f = 0; f + per <= in.length; f += per) {
            int n = converter.convert(in, f, per, chunk, 0);
            assertThat(n).as("20 ms in, 20 ms out").isEqualTo(to / 50);
            System.arraycopy(chunk, 0, out, written, n);
            written += n;
        }
        return out;
    }

    /** Frame by frame, as the clock converts: the tone keeps its level, no image or click appears. */
    @ParameterizedTest
    @CsvSource({"8000,16000", "8000,24000", "8000,48000", "16000,48000", "16000,24000"})
    void upFrameByFrameKeepsTheToneWithoutImages(int from, int to) {
        short[] out = byFrames(RateConverter.between(from, to), tone(1000, from, from), from, to);
        int skip = to / 10; // the filter's delay
        double tone = Goertzel.amplitude(out, skip, out.length, 1000, to);
        int imageAt = from - 1000 > to / 2 ? to - (from - 1000) : from - 1000; // folded where it lies above to/2
        double image = Goertzel.amplitude(out, skip, out.length, imageAt, to);
        assertThat(tone).isBetween(9000.0, 11000.0);
        assertThat(image).isLessThan(tone / 300);
        assertThat(snr(out, skip, 1000, to)).as("SNR in dB").isGreaterThan(40);
    }

    @ParameterizedTest
    @CsvSource({"16000,8000", "48000,8000", "48000,16000", "44100,8000"})
    void downKeepsTheBandAndRemovesWhatWouldAlias(int from, int to) {
        // the filter's transition band scales with the lower rate: an eighth of it beyond the new Nyquist frequency
        int above = to / 2 + to / 8; // would alias to to/2 - to/8
        short[] in = tone(1000, from, from);
        short[] high = tone(above, from, from);
        short[] mixed = new short[in.length];
        for (int i = 0; i < in.length; i++) {
            mixed[i] = (short) ((in[i] + high[i]) / 2);
        }
        short[] out = from % 50 == 0 ? byFrames(RateConverter.between(from, to), mixed, from, to)
                : RateConverter.between(from, to).convert(mixed);
        double tone = Goertzel.amplitude(out, to / 10, out.length, 1000, to);
        double alias = Goertzel.amplitude(out, to / 10, out.length, to / 2 - to / 8, to);
        assertThat(tone).isBetween(4500.0, 5500.0);
        assertThat(alias).isLessThan(tone / 100);
    }

    /** 6 kHz survives 16 kHz to 48 kHz and back (a wideband leg bridged to an Opus one). */
    @Test
    void aWidebandToneSurvivesARoundTripThrough48kHz() {
        short[] up = byFrames(RateConverter.between(16000, 48000), tone(6000, 16000, 16000), 16000, 48000);
        short[] back = byFrames(RateConverter.between(48000, 16000), up, 48000, 16000);
        assertThat(Goertzel.amplitude(back, 1600, back.length, 6000, 16000)).isBetween(9000.0, 11000.0);
        assertThat(snr(back, 1600, 6000, 16000)).as("SNR in dB").isGreaterThan(40);
    }

    /** The SNR of a tone: its power against what is left when the best-fitting sine is removed. */
    static double snr(short[] s, int from, double freq, int rate) {
        double sc = 0, cc = 0;
        int n = s.length - from;
        for (int i = from; i < s.length; i++) {
            double w = 2 * Math.PI * freq * i / rate;
            sc += s[i] * Math.sin(w);
            cc += s[i] * Math.cos(w);
        }
        double a = 2 * sc / n, b = 2 * cc / n;
        double signal = 0, noise = 0;
        for (int i = from; i < s.length; i++) {
            double w = 2 * Math.PI * freq * i / rate;
            double fit = a * Math.sin(w) + b * Math.cos(w);
            signal += fit * fit;
            noise += (s[i] - fit) * (s[i] - fit);
        }
        return 10 * Math.log10(signal / noise);
    }
}
