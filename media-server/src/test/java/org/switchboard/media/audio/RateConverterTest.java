package org.switchboard.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.media.dtmf.Goertzel;

class RateConverterTest {

    private static short[] tone(double freq, int rate, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (10000 * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    /** Frame by frame, as the clock converts: the tone keeps its level, no image or click appears. */
    @ParameterizedTest
    @ValueSource(ints = {16000, 24000, 48000})
    void upFrameByFrameKeepsTheToneWithoutImages(int rate) {
        RateConverter up = RateConverter.upTo(rate);
        short[] in = tone(1000, 8000, 8000);
        short[] out = new short[in.length * up.factor()];
        for (int f = 0; f < in.length / 160; f++) {
            short[] frame = java.util.Arrays.copyOfRange(in, f * 160, f * 160 + 160);
            System.arraycopy(up.convert(frame), 0, out, f * 160 * up.factor(), 160 * up.factor());
        }
        int skip = rate / 10; // the filter's delay
        double tone = Goertzel.amplitude(out, skip, out.length, 1000, rate);
        double image = Goertzel.amplitude(out, skip, out.length, 7000, rate);
        assertThat(tone).isBetween(9000.0, 11000.0);
        assertThat(image).isLessThan(tone / 300);
        assertThat(snr(out, skip, 1000, rate)).as("SNR in dB").isGreaterThan(40);
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 48000})
    void downKeepsTheBandAndRemovesWhatWouldAlias(int rate) {
        RateConverter down = RateConverter.downFrom(rate);
        short[] in = tone(1000, rate, rate);
        short[] high = tone(5000, rate, rate); // above 4 kHz: would alias to 3 kHz
        short[] mixed = new short[in.length];
        for (int i = 0; i < in.length; i++) {
            mixed[i] = (short) ((in[i] + high[i]) / 2);
        }
        short[] out = new short[8000];
        int per = 160 * down.factor();
        for (int f = 0; f < 50; f++) {
            short[] frame = java.util.Arrays.copyOfRange(mixed, f * per, f * per + per);
            System.arraycopy(down.convert(frame), 0, out, f * 160, 160);
        }
        double tone = Goertzel.amplitude(out, 800, out.length, 1000, 8000);
        double alias = Goertzel.amplitude(out, 800, out.length, 3000, 8000);
        assertThat(tone).isBetween(4500.0, 5500.0);
        assertThat(alias).isLessThan(tone / 100);
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
