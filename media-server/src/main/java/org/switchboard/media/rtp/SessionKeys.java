package org.switchboard.media.rtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session keys of one SRTP or SRTCP direction (RFC 3711) and what they do: derived from the master key and salt
 * with key derivation rate 0 (labels 0-2 for SRTP, 3-5 for SRTCP), AES counter mode at a packet's SSRC and index, and
 * HMAC-SHA1. Not thread-safe.
 */
final class SessionKeys {

    /** The first of the three labels: 0 for SRTP, 3 for SRTCP. */
    static final int SRTP_LABELS = 0;
    static final int SRTCP_LABELS = 3;

    private final Cipher aes;
    private final SecretKeySpec key;
    private final Mac hmac;
    private final byte[] salt;
    private final byte[] iv = new byte[16];

    SessionKeys(byte[] masterKey, byte[] masterSalt, int firstLabel) {
        if (masterKey.length != SrtpSuite.KEY_BYTES || masterSalt.length != SrtpSuite.SALT_BYTES) {
            throw new IllegalArgumentException("an AES_CM_128 master key is 16 bytes and its salt 14");
        }
        try {
            this.aes = Cipher.getInstance("AES/CTR/NoPadding");
            this.key = new SecretKeySpec(derive(masterKey, masterSalt, firstLabel, 16), "AES");
            this.hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(derive(masterKey, masterSalt, firstLabel + 1, 20), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR or HmacSHA1", e);
        }
        this.salt = derive(masterKey, masterSalt, firstLabel + 2, 14);
    }

    /**
     * A session key of {@code length} bytes for {@code label}: the AES-CM keystream of the master key at the master
     * salt XOR the label (key derivation rate 0, so the index part is 0).
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, SrtpSuite.SALT_BYTES);
        x[7] ^= (byte) label;
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(x));
            return cipher.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR", e);
        }
    }

    /** XORs the keystream of the packet's SSRC and index into {@code length} bytes at {@code from}. */
    void crypt(byte[] packet, int from, int length, long ssrc, long index) {
        iv(salt, ssrc, index, iv);
        try {
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            aes.doFinal(packet, from, length, packet, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /** The counter block a packet's keystream starts at: the session salt XOR the SSRC and the index, shifted 16 bits. */
    static void iv(byte[] salt, long ssrc, long index, byte[] iv) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** Adds bytes to the HMAC being computed. */
    void mac(byte[] bytes, int from, int length) {
        hmac.update(bytes, from, length);
    }

    /** Adds a 32-bit word, big-endian, to the HMAC being computed. */
    void mac(long word) {
        hmac.update((byte) (word >>> 24));
        hmac.update((byte) (word >>> 16));
        hmac.update((byte) (word >>> 8));
        hmac.update((byte) word);
    }

    /** Ends the HMAC: its 20 bytes into {@code tag}. */
    void macInto(byte[] tag) {
        try {
            hmac.doFinal(tag, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
