package org.switchboard.media.rtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an SRTP stream (RFC 3711): session keys derived from the master key and salt (key derivation
 * rate 0), AES counter-mode encryption of the payload, an HMAC-SHA1 tag over the packet and the rollover counter,
 * and on receipt the packet index estimated from the sequence number, the tag checked (in constant time) and
 * replays refused with a 64-packet window. A receiving context follows one SSRC; a new SSRC starts its state
 * afresh. Use a context for one direction only. Not thread-safe: the sending side uses it from the clock thread, the receiving side from the socket's event loop.
 */
public final class SrtpContext {

    private static final int REPLAY_WINDOW = 64;

    private final SrtpSuite suite;
    private final Cipher aes;
    private final SecretKeySpec sessionKey;
    private final Mac hmac;
    private final byte[] sessionSalt;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[20];

    private long ssrc = -1;
    private long roc;
    private int highestSequence = -1;
    private long highestIndex = -1;
    /** Bit i: the packet {@code highestIndex - i} was received. */
    private long window;

    /** A context for {@code suite} with the 16-byte master key and the 14-byte master salt. */
    public SrtpContext(SrtpSuite suite, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != SrtpSuite.KEY_BYTES || masterSalt.length != SrtpSuite.SALT_BYTES) {
            throw new IllegalArgumentException("an AES_CM_128 master key is 16 bytes and its salt 14");
        }
        this.suite = suite;
        try {
            this.aes = Cipher.getInstance("AES/CTR/NoPadding");
            this.sessionKey = new SecretKeySpec(derive(masterKey, masterSalt, 0, 16), "AES");
            this.hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(derive(masterKey, masterSalt, 1, 20), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR or HmacSHA1", e);
        }
        this.sessionSalt = derive(masterKey, masterSalt, 2, 14);
    }

    /**
     * A session key of {@code length} bytes for {@code label} (0 encryption, 1 authentication, 2 salt): the AES-CM
     * keystream of the master key at the master salt XOR the label (key derivation rate 0, so the index part is 0).
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

    /** The suite. */
    public SrtpSuite suite() {
        return suite;
    }

    /**
     * Encrypts the RTP packet of {@code length} bytes in {@code packet} in place and appends its tag; returns the new
     * length ({@code packet} needs room for the tag). The sender counts its sequence number's wraps ({@code roc}):
     * it knows them even across a hold, when nothing is sent.
     */
    public int protect(byte[] packet, int length, long roc) {
        int start = RtpPacket.headerEnd(packet, 0, length);
        long index = ((roc & 0xFFFFFFFFL) << 16) | RtpPacket.sequence(packet, 0);
        crypt(packet, start, length - start, RtpPacket.ssrc(packet, 0), index);
        authenticate(packet, length, roc & 0xFFFFFFFFL);
        System.arraycopy(tag, 0, packet, length, suite.tagBytes());
        return length + suite.tagBytes();
    }

    /**
     * Checks and decrypts the SRTP packet of {@code length} bytes in {@code packet} in place; returns the RTP
     * packet's length, or -1 when it is too short, its tag is wrong or it is a replay.
     */
    public int unprotect(byte[] packet, int length) {
        int tagBytes = suite.tagBytes();
        if (length < RtpPacket.HEADER_BYTES + tagBytes) {
            return -1;
        }
        int rtpLength = length - tagBytes;
        int start;
        try {
            start = RtpPacket.headerEnd(packet, 0, rtpLength);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        int sequence = RtpPacket.sequence(packet, 0);
        long packetSsrc = RtpPacket.ssrc(packet, 0);
        if (packetSsrc != ssrc) {
            ssrc = packetSsrc;
            roc = 0;
            highestSequence = -1;
            highestIndex = -1;
            window = 0;
        }
        long guessedRoc = estimateRoc(sequence);
        long index = (guessedRoc << 16) | sequence;
        if (highestIndex >= 0) {
            long behind = highestIndex - index;
            if (behind >= REPLAY_WINDOW || (behind >= 0 && (window & (1L << behind)) != 0)) {
                return -1; // too old to tell, or a replay
            }
        }
        authenticate(packet, rtpLength, guessedRoc);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, tagBytes),
                java.util.Arrays.copyOfRange(packet, rtpLength, length))) {
            return -1;
        }
        crypt(packet, start, rtpLength - start, packetSsrc, index);
        if (index > highestIndex) {
            window = highestIndex < 0 || index - highestIndex >= REPLAY_WINDOW ? 1 : (window << (index - highestIndex)) | 1;
            highestIndex = index;
            highestSequence = sequence;
            roc = guessedRoc;
        } else {
            window |= 1L << (highestIndex - index);
        }
        return rtpLength;
    }

    /** RFC 3711's estimate of the sender's rollover counter from a sequence number and the highest one seen. */
    private long estimateRoc(int sequence) {
        if (highestSequence < 0) {
            return roc;
        }
        if (highestSequence < 0x8000) {
            return sequence - highestSequence > 0x8000 ? (roc - 1) & 0xFFFFFFFFL : roc;
        }
        return highestSequence - 0x8000 > sequence ? (roc + 1) & 0xFFFFFFFFL : roc;
    }

    /** XORs the keystream of this packet's index into {@code length} bytes at {@code from}. */
    private void crypt(byte[] packet, int from, int length, long packetSsrc, long index) {
        iv(sessionSalt, packetSsrc, index, iv);
        try {
            aes.init(Cipher.ENCRYPT_MODE, sessionKey, new IvParameterSpec(iv));
            aes.doFinal(packet, from, length, packet, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /** The counter block a packet's keystream starts at: the session salt XOR the SSRC and the index, shifted 16 bits. */
    static void iv(byte[] salt, long packetSsrc, long index, byte[] iv) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (packetSsrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** The HMAC-SHA1 of the packet's first {@code length} bytes and the rollover counter, into {@link #tag}. */
    private void authenticate(byte[] packet, int length, long rollover) {
        hmac.update(packet, 0, length);
        hmac.update((byte) (rollover >>> 24));
        hmac.update((byte) (rollover >>> 16));
        hmac.update((byte) (rollover >>> 8));
        hmac.update((byte) rollover);
        try {
            hmac.doFinal(tag, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
