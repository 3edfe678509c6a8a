package org.switchboard.esl.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SwarTest {

    /** The bytes around each boundary of the JSON string search: controls, space, quote, backslash, DEL, non-ASCII. */
    private static final int[] EDGES = {0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x61, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xe9, 0xff};

    @Test
    void jsonSpecialFindsTheFirstByteAByteAtATimeSearchFinds() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // mostly plain letters, so that hits land at every offset of a word, often several in one word
                b[i] = (byte) (random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : 'a' + random.nextInt(26));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            assertThat(Swar.jsonSpecial(b, from, b.length)).as("from %d in %s", from, java.util.Arrays.toString(b))
                    .isEqualTo(byteAtATime(b, from, b.length));
        }
    }

    @Test
    void jsonSpecialSeesEveryByteValueAtEveryOffsetOfAWord() {
        for (int value = 0; value < 256; value++) {
            boolean special = value == '"' || value == '\\' || value < 0x20 || value >= 0x80;
            for (int at = 0; at < 16; at++) {
                byte[] b = new byte[24];
                java.util.Arrays.fill(b, (byte) 'x');
                b[at] = (byte) value;
                assertThat(Swar.jsonSpecial(b, 0, b.length)).as("0x%02x at %d", value, at).isEqualTo(special ? at : b.length);
            }
        }
    }

    private static int byteAtATime(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c == '"' || c == '\\' || c < 0x20) {
                return i;
            }
        }
        return to;
    }
}
