package org.switchboard.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Listening tests: a tone through each codec (encode, decode, frame by frame as a session does) comes back within the
 * signal-to-noise ratio the codec should reach on it; the decoder's delay is found by correlation.
 */
class CodecRoundTripTest {

    private static final int FRAME = 160;

    @Test
    void g711CarriesAToneAtToll() {
        assertThat(snr(G711.PCMU, 1000, 8000)).isGreaterThan(30);
        assertThat(snr(G711.PCMA, 1000, 8000)).isGreaterThan(30);
    }

    @Test
    void g722CarriesAToneThroughTheRateConversion() {
        // measured 48 dB at 1 kHz and 35 dB at 3 kHz (the ADPCM's noise, the half-band filters' ripple near 4 kHz)
        assertThat(snr(Codecs.byName("G722").orElseThrow(), 1000, 8000)).isGreaterThan(40);
        assertThat(snr(Codecs.byName("G722").orElseThrow(), 3000, 8000)).isGreaterThan(30);
    }

    @Test
    void opusCarriesATone() {
        Codec opus = Codecs.byName("opus").orElseThrow();
        // measured 12 dB at 1 kHz and 24 dB at 440 Hz: Opus codes what is heard, not the waveform
        assertThat(snr(opus, 1000, 8000)).isGreaterThan(10);
        assertThat(snr(opus, 440, 8000)).isGreaterThan(20);
    }

    @Test
    void opusPayloadsStaySmallAndLostPacketsAreRecovered() {
        Codec opus = Codecs.byName("OPUS").orElseThrow();
        Codec.Encoder encoder = opus.encoder();
        Codec.Decoder decoder = opus.decoder();
        short[] frame = new short[FRAME];
        byte[] payload = new byte[1275];
        short[] out = new short[960];
        int recovered = 0;
        byte[][] packets = new byte[50][];
        for (int f = 0; f < packets.length; f++) {
            tone(frame, f * FRAME, 1000, 8000);
            int n = encoder.encode(frame, payload);
            assertThat(n).isBetween(1, 200);
            packets[f] = java.util.Arrays.copyOf(payload, n);
        }
        for (int f = 0; f < packets.length; f++) {
            if (f % 10 == 5) {
                byte[] next = packets[f + 1];
                recovered += decoder.recover(next, 0, next.length, out, 0);
            } else {
                assertThat(decoder.decode(packets[f], 0, packets[f].length, out, 0)).isEqualTo(FRAME);
            }
        }
        assertThat(recovered).isEqualTo(5 * FRAME);
    }

    @Test
    void aCodecListReadsLikeFreeSwitchsCodecString() {
        assertThat(Codecs.parse("OPUS,G722,PCMU@20i,PCMA").stream().map(Codec::name))
                .containsExactly("opus", "G722", "PCMU", "PCMA");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codecs.parse("G729"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** SNR in dB of a 1 s tone of {@code hz} at 1/4 of full scale through {@code codec}, after the first 100 ms. */
    static double snr(Codec codec, int hz, int rate) {
        Codec.Encoder encoder = codec.encoder();
        Codec.Decoder decoder = codec.decoder();
        int frames = 50;
        short[] in = new short[frames * FRAME];
        short[] out = new short[frames * FRAME + 960];
        byte[] payload = new byte[1275];
        short[] frame = new short[FRAME];
        int written = 0;
        for (int f = 0; f < frames; f++) {
            tone(frame, f * FRAME, hz, rate);
            System.arraycopy(frame, 0, in, f * FRAME, FRAME);
            int n = encoder.encode(frame, payload);
            written += decoder.decode(payload, 0, n, out, written);
        }
        return bestSnr(in, out, written);
    }

    static void tone(short[] frame, int start, int hz, int rate) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * (start + i) / rate));
        }
    }

    /** The SNR at the delay (up to 400 samples) that matches best. */
    static double bestSnr(short[] in, short[] out, int written) {
        double best = Double.NEGATIVE_INFINITY;
        int skip = in.length / 10;
        for (int lag = 0; lag < 400; lag++) {
            double signal = 0;
            double noise = 0;
            for (int i = skip; i + lag < written && i < in.length; i++) {
                double e = out[i + lag] - in[i];
                signal += (double) in[i] * in[i];
                noise += e * e;
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(noise, 1e-9)));
        }
        return best;
    }
}
