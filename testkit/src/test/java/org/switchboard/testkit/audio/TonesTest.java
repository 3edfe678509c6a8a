package org.switchboard.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TonesTest {

    @Test
    void findsAToneAndTellsItFromOneTwentyHertzAway() {
        short[] tone = Tones.sine(500, 8000, 1000);
        assertThat(Tones.find(tone, 0, tone.length, 1000)).isZero();
        assertThat(Tones.find(tone, 0, tone.length, 1020)).isEqualTo(-1);
        assertThat(Tones.find(tone, 0, tone.length, 440)).isEqualTo(-1);
    }

    @Test
    void findsWhereAToneStartsAfterSilence() {
        short[] audio = concat(new short[8000], Tones.sine(300, 6000, 440));
        int at = Tones.find(audio, 0, audio.length, 440);
        assertThat(at).isBetween(7600, 8000);
    }

    @Test
    void aToneTooQuietOrDrownedInNoiseIsNotATone() {
        short[] quiet = Tones.sine(300, 100, 1000);
        assertThat(Tones.find(quiet, 0, quiet.length, 1000)).isEqualTo(-1);
        short[] noisy = Tones.sine(300, 1000, 1000);
        Random random = new Random(7);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (short) (random.nextGaussian() * 4000);
        }
        assertThat(Tones.find(noisy, 0, noisy.length, 1000)).isEqualTo(-1);
    }

    @Test
    void namesTheStrongestFrequenciesOfAMix() {
        short[] mix = Tones.sine(1000, 4500, 2000);
        short[] middle = Tones.sine(1000, 3000, 440);
        short[] weakest = Tones.sine(1000, 1500, 1200);
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (short) (mix[i] + middle[i] + weakest[i]);
        }
        assertThat(Tones.strongest(mix, 0, mix.length, 3)).extracting(Tones.Peak::frequency)
                .containsExactly(2000.0, 440.0, 1200.0);
        assertThat(Tones.strongest(new short[8000], 0, 8000, 3)).isEmpty();
    }

    static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
