package org.switchboard.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            byte c = (byte) code;
            assertThat(G711.PCMA.encode(G711.PCMA.decode(c))).as("A-law %02x", code).isEqualTo(c);
            // μ-law has two zeros (0x7F and 0xFF); 0 encodes to 0xFF
            byte expected = code == 0x7F ? (byte) 0xFF : c;
            assertThat(G711.PCMU.encode(G711.PCMU.decode(c))).as("μ-law %02x", code).isEqualTo(expected);
        }
    }

    @Test
    void knownPointsOfTheItuTables() {
        assertThat(G711.PCMU.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.PCMU.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.PCMU.decode((byte) 0xFF)).isZero();
        assertThat(G711.PCMA.decode((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.PCMA.decode((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.PCMA.decode((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.PCMU.encode((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.PCMA.encode((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.ofPayloadType(8)).contains(G711.PCMA);
        assertThat(G711.ofPayloadType(18)).isEmpty();
    }

    @Test
    void quantisationErrorStaysWithinHalfAStepOfTheSegment() {
        for (G711 law : G711.values()) {
            for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 7) {
                short decoded = law.decode(law.encode((short) s));
                int error = Math.abs(decoded - s);
                // segment steps grow with magnitude: 1/16 of the value bounds the error, plus the smallest step
                assertThat(error).as("%s at %d", law, s).isLessThanOrEqualTo(Math.abs(s) / 16 + 16);
            }
        }
    }
}
