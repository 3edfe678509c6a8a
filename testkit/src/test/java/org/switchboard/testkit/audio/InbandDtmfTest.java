package org.switchboard.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InbandDtmfTest {

    private static short[] keys(String digits, int onMillis, int offMillis) {
        short[][] parts = new short[digits.length() * 2][];
        for (int i = 0; i < digits.length(); i++) {
            double[] f = InbandDtmf.frequencies(digits.charAt(i));
            parts[2 * i] = Tones.sine(onMillis, 6000, f[0], f[1]);
            parts[2 * i + 1] = new short[offMillis * 8];
        }
        return TonesTest.concat(parts);
    }

    @Test
    void detectsEveryKeyOnceInOrder() {
        short[] audio = keys("0123456789*#ABCD", 100, 100);
        assertThat(InbandDtmf.detect(audio, 0, audio.length)).isEqualTo("0123456789*#ABCD");
    }

    @Test
    void aRepeatedKeyIsTwoPressesOnlyWithAPauseBetween() {
        short[] twice = keys("55", 100, 100);
        assertThat(InbandDtmf.detect(twice, 0, twice.length)).isEqualTo("55");
        short[] held = Tones.sine(400, 6000, InbandDtmf.frequencies('5'));
        assertThat(InbandDtmf.detect(held, 0, held.length)).isEqualTo("5");
    }

    @Test
    void aSingleToneOrSpeechBandNoiseIsNoDigit() {
        short[] tone = Tones.sine(500, 8000, 697);
        assertThat(InbandDtmf.detect(tone, 0, tone.length)).isEmpty();
        short[] chord = Tones.sine(500, 4000, 440, 880, 1320); // a chord is not a key
        assertThat(InbandDtmf.detect(chord, 0, chord.length)).isEmpty();
    }

    @Test
    void refusesWhatIsNotAKey() {
        assertThatThrownBy(() -> InbandDtmf.frequencies('x')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
    }
}
