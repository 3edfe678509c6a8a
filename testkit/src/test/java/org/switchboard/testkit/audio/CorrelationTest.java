package org.switchboard.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;

class CorrelationTest {

    private static short[] noise(int samples, long seed, double level) {
        Random random = new Random(seed);
        short[] out = new short[samples];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, random.nextGaussian() * level));
        }
        return out;
    }

    @Test
    void findsTheReferenceWhereItStartsAtAnyVolumeThroughG711() {
        short[] reference = noise(8000, 1, 3000);
        short[] quieter = new short[reference.length];
        for (int i = 0; i < reference.length; i++) { // half the volume, then through PCMU and back
            quieter[i] = G711.PCMU.decode(G711.PCMU.encode((short) (reference[i] / 2)));
        }
        short[] heard = TonesTest.concat(noise(4321, 2, 200), quieter, new short[3000]);
        Correlation.Match match = Correlation.best(heard, 0, heard.length, reference);
        assertThat(match.offset()).isEqualTo(4321);
        assertThat(match.coefficient()).isGreaterThan(0.99);
    }

    @Test
    void unrelatedAudioCorrelatesPoorly() {
        short[] reference = noise(4000, 1, 3000);
        short[] heard = noise(16000, 9, 3000);
        assertThat(Correlation.best(heard, 0, heard.length, reference).coefficient()).isLessThan(0.2);
        short[] tone = Tones.sine(2000, 8000, 440);
        assertThat(Correlation.best(tone, 0, tone.length, reference).coefficient()).isLessThan(0.2);
    }

    @Test
    void nothingToCompareWhenTooShortOrSilent() {
        short[] reference = noise(8000, 1, 3000);
        assertThat(Correlation.best(new short[4000], 0, 4000, reference)).isEqualTo(Correlation.Match.NONE);
        assertThat(Correlation.best(new short[16000], 0, 16000, reference)).isEqualTo(Correlation.Match.NONE);
        short[] same = reference.clone();
        assertThat(Correlation.best(same, 0, same.length, reference).coefficient()).isCloseTo(1.0, Offset.offset(1e-9));
    }

    @Test
    void piecesSurviveAFrameLostInTheMiddleWhereOneAlignmentDoesNot() {
        short[] reference = noise(16000, 4, 3000);
        short[] slipped = new short[reference.length - 160]; // 20 ms lost after the first second
        System.arraycopy(reference, 0, slipped, 0, 8000);
        System.arraycopy(reference, 8160, slipped, 8000, reference.length - 8160);
        short[] heard = TonesTest.concat(new short[800], slipped, new short[2400]);
        assertThat(Correlation.best(heard, 0, heard.length, reference).coefficient()).isLessThan(0.6);
        Correlation.Match pieces = Correlation.pieces(heard, 0, heard.length, reference, 1600);
        assertThat(pieces.coefficient()).isGreaterThan(0.9);
        assertThat(pieces.offset()).isEqualTo(800);
    }

    @Test
    void piecesOfUnrelatedOrReversedAudioCorrelatePoorly() {
        short[] reference = noise(16000, 4, 3000);
        short[] reversed = new short[reference.length];
        for (int i = 0; i < reference.length; i++) {
            reversed[i] = reference[reference.length - 1 - i];
        }
        assertThat(Correlation.pieces(reversed, 0, reversed.length, reference, 1600).coefficient()).isLessThan(0.2);
        assertThat(Correlation.pieces(new short[20000], 0, 20000, reference, 1600)).isEqualTo(Correlation.Match.NONE);
    }
}
