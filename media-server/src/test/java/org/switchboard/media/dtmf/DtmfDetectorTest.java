package org.switchboard.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;

class DtmfDetectorTest {

    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLUMNS = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    /** Key presses of {@code onMs} with {@code offMs} of silence, through G.711 as a caller would send them. */
    private static short[] dial(String digits, int onMs, int offMs, double amplitude, G711 law) {
        int on = onMs * 8;
        int off = offMs * 8;
        short[] out = new short[digits.length() * (on + off)];
        int at = 0;
        for (char d : digits.toCharArray()) {
            int k = KEYS.indexOf(d);
            double row = ROWS[k / 4];
            double col = COLUMNS[k % 4];
            for (int i = 0; i < on; i++) {
                double v = amplitude * (Math.sin(2 * Math.PI * row * i / 8000) + Math.sin(2 * Math.PI * col * i / 8000));
                out[at++] = law.decode(law.encode((short) Math.round(v)));
            }
            at += off;
        }
        return out;
    }

    private static String detect(short[] audio) {
        StringBuilder got = new StringBuilder();
        DtmfDetector detector = new DtmfDetector(got::append);
        for (int i = 0; i < audio.length; i += 160) { // 20 ms frames, as RTP brings them
            detector.process(audio, i, Math.min(160, audio.length - i));
        }
        return got.toString();
    }

    @Test
    void everyKeyIsDetectedOnceThroughEitherLaw() {
        assertThat(detect(dial("0123456789*#ABCD", 100, 100, 4000, G711.PCMU))).isEqualTo("0123456789*#ABCD");
        assertThat(detect(dial("0123456789*#ABCD", 80, 60, 4000, G711.PCMA))).isEqualTo("0123456789*#ABCD");
    }

    @Test
    void aRepeatedKeyNeedsAGapAndQuietTonesAreIgnored() {
        assertThat(detect(dial("55", 100, 100, 4000, G711.PCMU))).isEqualTo("55");
        assertThat(detect(dial("5", 400, 0, 4000, G711.PCMU))).as("one long press").isEqualTo("5");
        assertThat(detect(dial("5", 100, 100, 50, G711.PCMU))).as("below the floor").isEmpty();
    }

    @Test
    void speechLikeSignalsAreNotDigits() {
        short[] noise = new short[8000 * 2];
        Random random = new Random(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 3000);
        }
        assertThat(detect(noise)).isEmpty();
        short[] tone = new short[8000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000));
        }
        assertThat(detect(tone)).as("a single 1 kHz tone").isEmpty();
        short[] chord = new short[8000];
        for (int i = 0; i < chord.length; i++) {
            // two row tones at once: not a key
            chord[i] = (short) (4000 * (Math.sin(2 * Math.PI * 697 * i / 8000) + Math.sin(2 * Math.PI * 852 * i / 8000)));
        }
        assertThat(detect(chord)).isEmpty();
    }
}
