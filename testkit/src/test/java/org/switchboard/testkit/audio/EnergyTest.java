package org.switchboard.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EnergyTest {

    /** Syllables: 200 ms bursts of noise shaped at speech level, with short pauses between words. */
    private static short[] speech(int words, int pauseMillis) {
        Random random = new Random(3);
        short[][] parts = new short[words * 2][];
        for (int w = 0; w < words; w++) {
            short[] word = new short[1600];
            for (int i = 0; i < word.length; i++) {
                double envelope = Math.sin(Math.PI * i / word.length);
                word[i] = (short) (random.nextGaussian() * 3000 * envelope);
            }
            parts[2 * w] = word;
            parts[2 * w + 1] = new short[pauseMillis * 8];
        }
        return TonesTest.concat(parts);
    }

    @Test
    void speechWithShortPausesIsOneActiveStretch() {
        short[] audio = speech(10, 150);
        // ten words of 200 ms with nine 150 ms pauses, less the quiet edges of each word's envelope
        assertThat(Energy.longestActiveMillis(audio, 0, audio.length, Energy.ACTIVE_RMS)).isBetween(3000L, 3500L);
    }

    @Test
    void longPausesSplitTheStretches() {
        short[] audio = speech(5, 800);
        assertThat(Energy.longestActiveMillis(audio, 0, audio.length, Energy.ACTIVE_RMS)).isBetween(100L, 200L);
    }

    @Test
    void measuresTheSilenceAtTheEnd() {
        short[] audio = TonesTest.concat(Tones.sine(500, 5000, 300), new short[8000]);
        assertThat(Energy.trailingQuietMillis(audio, 0, audio.length, Energy.ACTIVE_RMS)).isEqualTo(1000);
        short[] loudEnd = Tones.sine(500, 5000, 300);
        assertThat(Energy.trailingQuietMillis(loudEnd, 0, loudEnd.length, Energy.ACTIVE_RMS)).isZero();
        assertThat(Energy.rms(Tones.sine(1000, 1000, 400), 0, 8000)).isCloseTo(1000 / Math.sqrt(2), org.assertj.core.data.Offset.offset(5.0));
    }
}
