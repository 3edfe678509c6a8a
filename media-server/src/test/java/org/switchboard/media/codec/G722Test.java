package org.switchboard.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** G.722 at its own rate: tones in both sub-bands come back through the QMF and the two ADPCM coders. */
class G722Test {

    @Test
    void tonesInTheLowerAndHigherBandComeBack() {
        assertThat(snr16k(1000)).as("1 kHz, lower band").isGreaterThan(25);
        assertThat(snr16k(300)).as("300 Hz").isGreaterThan(25);
        assertThat(snr16k(5000)).as("5 kHz, higher band (2-bit ADPCM)").isGreaterThan(8);
    }

    @Test
    void silenceStaysQuietAndEachByteIsTwoSamples() {
        G722 encoder = new G722();
        G722 decoder = new G722();
        short[] pcm = new short[320];
        byte[] codes = new byte[160];
        short[] out = new short[320];
        for (int f = 0; f < 20; f++) {
            encoder.encode(pcm, pcm.length, codes);
            decoder.decode(codes, 0, codes.length, out, 0);
        }
        for (short s : out) {
            assertThat(Math.abs(s)).isLessThan(40);
        }
    }

    private static double snr16k(int hz) {
        G722 encoder = new G722();
        G722 decoder = new G722();
        int n = 16000;
        short[] in = new short[n];
        short[] out = new short[n + 320];
        byte[] codes = new byte[160];
        short[] frame = new short[320];
        short[] decoded = new short[320];
        for (int at = 0; at < n; at += 320) {
            CodecRoundTripTest.tone(frame, at, hz, 16000);
            System.arraycopy(frame, 0, in, at, 320);
            encoder.encode(frame, 320, codes);
            decoder.decode(codes, 0, 160, decoded, 0);
            System.arraycopy(decoded, 0, out, at, 320);
        }
        return CodecRoundTripTest.bestSnr(in, out, n, 400);
    }
}
