package org.switchboard.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** SRTP against RFC 3711's test vectors (appendix B), and protect/unprotect between two contexts. */
class SrtpContextTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theKeystreamOfAppendixB2() throws Exception {
        byte[] salt = HEX.parseHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        byte[] iv = new byte[16];
        SessionKeys.iv(salt, 0, 0, iv);
        assertThat(HEX.formatHex(iv)).isEqualToIgnoringCase("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HEX.parseHex("2B7E151628AED2A6ABF7158809CF4F3C"), "AES"),
                new IvParameterSpec(iv));
        byte[] keystream = aes.doFinal(new byte[48]);
        assertThat(HEX.formatHex(keystream)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
    }

    @Test
    void theSessionKeysOfAppendixB3() {
        byte[] key = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(HEX.formatHex(SessionKeys.derive(key, salt, 0, 16)))
                .isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(HEX.formatHex(SessionKeys.derive(key, salt, 2, 14)))
                .isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(HEX.formatHex(SessionKeys.derive(key, salt, 1, 20)))
                .isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    @Test
    void aPaddedPacketUnprotects() {
        // found by the fuzzer: the receiver read the padding count (encrypted) before decrypting and dropped the packet
        byte[] key = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
        for (int seq = 0; seq < 64; seq++) { // each sequence number encrypts the padding count differently
            byte[] plain = new RtpPacket(false, 0, seq, 160L * seq, 0x1234, new byte[160]).toBytes();
            byte[] padded = java.util.Arrays.copyOf(plain, plain.length + 4);
            padded[0] |= 0x20;
            padded[padded.length - 1] = 4;
            byte[] wire = java.util.Arrays.copyOf(padded, padded.length + SrtpSuite.AES_CM_128_HMAC_SHA1_80.tagBytes());
            int length = new SrtpContext(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key, salt).protect(wire, padded.length, 0);

            assertThat(new SrtpContext(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key, salt).unprotect(wire, length))
                    .as("sequence %d", seq).isEqualTo(padded.length);
            assertThat(RtpPacket.parse(wire, 0, padded.length).payload()).hasSize(160);
        }
    }

    @Test
    void whatOneSideProtectsTheOtherReadsOnceAndTamperingIsRefused() {
        for (SrtpSuite suite : SrtpSuite.values()) {
            byte[] key = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
            byte[] salt = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");
            SrtpContext sender = new SrtpContext(suite, key, salt);
            SrtpContext receiver = new SrtpContext(suite, key, salt);
            for (int seq = 65530; seq < 65540; seq++) { // across the sequence number's wrap (the rollover counter)
                byte[] plain = packet(seq & 0xFFFF);
                byte[] wire = java.util.Arrays.copyOf(plain, plain.length + 10);
                int length = sender.protect(wire, plain.length, seq >> 16);
                assertThat(length).isEqualTo(plain.length + suite.tagBytes());
                assertThat(java.util.Arrays.copyOfRange(wire, 12, plain.length))
                        .as("the payload is encrypted").isNotEqualTo(java.util.Arrays.copyOfRange(plain, 12, plain.length));
                byte[] replay = wire.clone();
                byte[] tampered = wire.clone();
                tampered[20] ^= 1;
                assertThat(receiver.unprotect(tampered, length)).as("tampered").isEqualTo(-1);
                assertThat(receiver.unprotect(wire, length)).isEqualTo(plain.length);
                assertThat(java.util.Arrays.copyOf(wire, plain.length)).isEqualTo(plain);
                assertThat(receiver.unprotect(replay, length)).as("replayed").isEqualTo(-1);
            }
        }
    }

    @Test
    void anotherKeyCannotReadIt() {
        byte[] salt = new byte[14];
        SrtpContext sender = new SrtpContext(SrtpSuite.AES_CM_128_HMAC_SHA1_80, new byte[16], salt);
        byte[] otherKey = new byte[16];
        otherKey[0] = 1;
        SrtpContext receiver = new SrtpContext(SrtpSuite.AES_CM_128_HMAC_SHA1_80, otherKey, salt);
        byte[] wire = java.util.Arrays.copyOf(packet(1), 200);
        int length = sender.protect(wire, 172, 0);
        assertThat(receiver.unprotect(wire, length)).isEqualTo(-1);
    }

    private static byte[] packet(int sequence) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (sequence >> 8);
        p[3] = (byte) sequence;
        p[8] = (byte) 0xCA;
        p[11] = 7;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }
}
