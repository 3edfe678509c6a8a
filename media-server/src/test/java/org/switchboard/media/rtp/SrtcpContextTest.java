package org.switchboard.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SrtcpContextTest {

    private static final HexFormat HEX = HexFormat.of();
    /** libsrtp's test key and salt (its known-answer test of the default policy, AES_CM_128_HMAC_SHA1_80). */
    private static final byte[] KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
    /** A sender report of SSRC 0xcafebabe with 16 bytes of 0xab, and what libsrtp makes of it (index 1). */
    private static final byte[] PLAIN = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));
    private static final byte[] PROTECTED = HEX.parseHex("81c8000bcafebabe7128035be487b9bdbef89041f977a5a8"
            + "80000001993e08cd54d6c1230798");

    @Test
    void theFirstPacketIsLibsrtpsKnownAnswer() {
        byte[] packet = Arrays.copyOf(PLAIN, PLAIN.length + SrtcpContext.OVERHEAD);
        int length = new SrtcpContext(KEY, SALT).protect(packet, PLAIN.length);
        assertThat(HEX.formatHex(Arrays.copyOf(packet, length))).isEqualTo(HEX.formatHex(PROTECTED));
    }

    @Test
    void theKnownAnswerUnprotectsOnceAndNotAgain() {
        SrtcpContext receiver = new SrtcpContext(KEY, SALT);
        byte[] packet = PROTECTED.clone();
        assertThat(receiver.unprotect(packet, packet.length)).isEqualTo(PLAIN.length);
        assertThat(Arrays.copyOf(packet, PLAIN.length)).isEqualTo(PLAIN);
        assertThat(receiver.unprotect(PROTECTED.clone(), PROTECTED.length)).as("a replay").isEqualTo(-1);
    }

    @Test
    void roundTripsInAnyOrderAndRefusesTamperingAndOtherKeys() {
        SrtcpContext sender = new SrtcpContext(KEY, SALT);
        SrtcpContext receiver = new SrtcpContext(KEY, SALT);
        byte[][] sent = new byte[5][];
        for (int i = 0; i < sent.length; i++) {
            byte[] p = Arrays.copyOf(PLAIN, PLAIN.length + SrtcpContext.OVERHEAD);
            p[10] = (byte) i;
            sender.protect(p, PLAIN.length);
            sent[i] = p;
        }
        for (int i : new int[] {1, 0, 4, 2}) {
            byte[] p = sent[i].clone();
            assertThat(receiver.unprotect(p, p.length)).isEqualTo(PLAIN.length);
            assertThat(p[10]).isEqualTo((byte) i);
        }
        byte[] tampered = sent[3].clone();
        tampered[12] ^= 1;
        assertThat(receiver.unprotect(tampered, tampered.length)).isEqualTo(-1);
        byte[] wrongKey = sent[3].clone();
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertThat(new SrtcpContext(otherKey, SALT).unprotect(wrongKey, wrongKey.length)).isEqualTo(-1);
        assertThat(receiver.unprotect(sent[3].clone(), sent[3].length)).as("the untouched packet still reads")
                .isEqualTo(PLAIN.length);
        assertThat(receiver.unprotect(new byte[10], 10)).as("too short").isEqualTo(-1);
    }
}
