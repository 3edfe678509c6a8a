package org.switchboard.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listening tests: a tone through each codec at the codec's own rate (encode, decode, frame by frame as a session
 * does) comes back within the signal-to-noise ratio the codec should reach on it; the decoder's delay is found by
 * correlation. The wideband codecs carry 6 kHz, which no 8 kHz channel can. Opus is heard through each implementation
 * that loads here: native libopus (the system's and the bundled build) and Concentus.
 */
class CodecRoundTripTest {

    @Test
    void g711CarriesAToneAtToll() {
        assertThat(snr(G711.PCMU, 1000)).isGreaterThan(30);
        assertThat(snr(G711.PCMA, 1000)).isGreaterThan(30);
    }

    @Test
    void g722CarriesWidebandTonesAt16kHz() {
        Codec g722 = Codecs.byName("G722").orElseThrow();
        assertThat(g722.sampleRate()).isEqualTo(16000);
        // measured 47 dB at 1 kHz, 27 dB at 6 kHz, and 14.6 dB at 3 kHz: near the sub-bands' 4 kHz crossover the
        // QMF's alias is cancelled only as well as the 2-bit upper band codes it
        assertThat(snr(g722, 1000)).isGreaterThan(40);
        assertThat(snr(g722, 3000)).isGreaterThan(12);
        assertThat(snr(g722, 6000)).as("6 kHz, in G.722's upper band").isGreaterThan(20);
    }

    /** Every Opus implementation that loads here; on Linux x86-64 that includes native libopus. */
    static Stream<OpusCoder> opusCoders() {
        List<OpusCoder> coders = new ArrayList<>(OpusCoder.nativeCoders());
        coders.add(ConcentusOpus.INSTANCE);
        return coders.stream();
    }

    @Test
    void nativeLibopusLoadsOnLinuxX8664AndIsTheOneChosen() {
        assumeTrue(Platform.RESOURCE_PREFIX.equals("linux-x86-64"), "opus-java-natives covers this platform");
        assertThat(LibOpus.bundled()).as("the libopus in opus-java-natives").isPresent();
        assertThat(Codecs.opusImplementation()).startsWith("libopus ");
        assertThat(OpusCoder.Selection.choose("concentus")).isSameAs(ConcentusOpus.INSTANCE);
        assertThat(OpusCoder.Selection.choose("libopus").description()).startsWith("libopus ");
        assertThatThrownBy(() -> OpusCoder.Selection.choose("ffmpeg")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, libopus or concentus");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opusCoders")
    void opusCarriesTonesAtEachOfItsRates(OpusCoder coder) {
        Codec opus = new OpusCodec(48000, coder);
        // Opus codes what is heard, not the waveform. Measured at 440 Hz, 1 kHz, 6 kHz (48 and 16 kHz) and 1 kHz
        // narrowband: Concentus 24, 24, 11, 12, 12 dB; libopus 1.1.2 26, 24, 13, 14, 13 dB; libopus 1.3.1 29, 25,
        // 19, 23, 19 dB
        assertThat(snr(opus, 440)).isGreaterThan(20);
        assertThat(snr(opus, 1000)).isGreaterThan(20);
        assertThat(snr(opus, 6000)).as("6 kHz at 48 kHz").isGreaterThan(8);
        assertThat(snr(new OpusCodec(16000, coder), 6000)).as("6 kHz at 16 kHz").isGreaterThan(8);
        assertThat(snr(new OpusCodec(8000, coder), 1000)).as("narrowband Opus").isGreaterThan(10);
    }

    @Test
    void opusAtAPeersMaxPlaybackRate() {
        Codec opus = Codecs.byName("opus").orElseThrow();
        assertThat(opus.sampleRate()).isEqualTo(48000);
        assertThat(Codecs.opus(12000).sampleRate()).as("maxplaybackrate=12000").isEqualTo(16000);
        assertThat(Codecs.opus(8000).sampleRate()).isEqualTo(8000);
        assertThat(Codecs.opus(24000)).isSameAs(opus);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opusCoders")
    void opusPayloadsStaySmallAndLostPacketsAreRecovered(OpusCoder coder) {
        Codec opus = new OpusCodec(48000, coder);
        int frameLength = opus.sampleRate() / 50;
        short[] frame = new short[frameLength];
        byte[] payload = new byte[1275];
        short[] out = new short[6 * frameLength];
        int recovered = 0;
        byte[][] packets = new byte[50][];
        try (Codec.Encoder encoder = opus.encoder(); Codec.Decoder decoder = opus.decoder()) {
            for (int f = 0; f < packets.length; f++) {
                tone(frame, f * frameLength, 1000, opus.sampleRate());
                int n = encoder.encode(frame, payload);
                assertThat(n).isBetween(1, 200);
                packets[f] = Arrays.copyOf(payload, n);
            }
            for (int f = 0; f < packets.length; f++) {
                if (f % 10 == 5) {
                    byte[] next = packets[f + 1];
                    recovered += decoder.recover(next, 0, next.length, out, 0);
                } else {
                    assertThat(decoder.decode(packets[f], 0, packets[f].length, out, 0)).isEqualTo(frameLength);
                }
            }
            assertThat(recovered).isEqualTo(5 * frameLength);
            assertThat(decoder.recover(null, 0, 0, out, 0)).as("concealment without a next packet")
                    .isEqualTo(frameLength);
            // a code-3 packet (several frames) that says it has none
            assertThat(decoder.decode(new byte[] {3, 0}, 0, 2, out, 0)).as("an invalid packet").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opusCoders")
    void aClosedOpusCoderCodesNothingAndClosesTwiceHarmlessly(OpusCoder coder) {
        Codec.Encoder encoder = coder.encoder(16000);
        Codec.Decoder decoder = coder.decoder(16000);
        byte[] payload = new byte[1275];
        int n = encoder.encode(new short[320], payload);
        encoder.close();
        encoder.close();
        decoder.close();
        decoder.close();
        if (coder instanceof LibOpus) { // Concentus's state is on the heap: closing it is nothing
            assertThat(encoder.encode(new short[320], payload)).isZero();
            assertThat(decoder.decode(payload, 0, n, new short[1920], 0)).isZero();
            assertThat(decoder.recover(null, 0, 0, new short[1920], 0)).isZero();
        }
    }

    @Test
    void aCodecListReadsLikeFreeSwitchsCodecString() {
        assertThat(Codecs.parse("OPUS,G722,PCMU@20i,PCMA").stream().map(Codec::name))
                .containsExactly("opus", "G722", "PCMU", "PCMA");
        assertThatThrownBy(() -> Codecs.parse("G729"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * SNR in dB of a 1 s tone of {@code hz} at 1/4 of full scale through {@code codec} at its rate, after the first
     * 100 ms.
     */
    static double snr(Codec codec, int hz) {
        int rate = codec.sampleRate();
        int length = rate / 50;
        int frames = 50;
        short[] in = new short[frames * length];
        short[] out = new short[(frames + 6) * length];
        byte[] payload = new byte[1275];
        short[] frame = new short[length];
        int written = 0;
        try (Codec.Encoder encoder = codec.encoder(); Codec.Decoder decoder = codec.decoder()) {
            for (int f = 0; f < frames; f++) {
                tone(frame, f * length, hz, rate);
                System.arraycopy(frame, 0, in, f * length, length);
                int n = encoder.encode(frame, payload);
                written += decoder.decode(payload, 0, n, out, written);
            }
        }
        return bestSnr(in, out, written, rate / 50);
    }

    static void tone(short[] frame, int start, int hz, int rate) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * (start + i) / rate));
        }
    }

    /** The SNR at the delay (up to {@code maxLag} samples) that matches best. */
    static double bestSnr(short[] in, short[] out, int written, int maxLag) {
        double best = Double.NEGATIVE_INFINITY;
        int skip = in.length / 10;
        for (int lag = 0; lag < maxLag; lag++) {
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
