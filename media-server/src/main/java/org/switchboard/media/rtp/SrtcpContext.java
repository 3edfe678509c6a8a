package org.switchboard.media.rtp;

import java.security.MessageDigest;

/**
 * One direction of SRTCP (RFC 3711): RTCP compound packets protected with session keys derived from the same SDES
 * master key and salt as the SRTP stream (labels 3 to 5): everything after the first header and its SSRC encrypted
 * in AES counter mode at the packet's 31-bit SRTCP index, then the E flag and that index, then an 80-bit HMAC-SHA1
 * tag over all of it (80 bits for both SDES suites: the _32 suite shortens only SRTP's tag). A sending context
 * numbers its packets from 1; a receiving one checks the tag in constant time and refuses replays with a 64-packet
 * window, following one SSRC (a new SSRC starts afresh). Not thread-safe: one direction, one thread.
 */
public final class SrtcpContext {

    /** Bytes of the RTCP header and sender SSRC, sent in the clear. */
    private static final int CLEAR_BYTES = 8;
    private static final int INDEX_BYTES = 4;
    /** SRTCP's authentication tag: 80 bits. */
    private static final int TAG_BYTES = 10;
    /** What protecting adds to a packet: the E flag and index, and the tag. */
    public static final int OVERHEAD = INDEX_BYTES + TAG_BYTES;

    private final SessionKeys keys;
    private final ReplayWindow replays = new ReplayWindow();
    private final byte[] tag = new byte[20];
    private long sentIndex;
    private long ssrc = -1;

    /** A context with the SDES master key (16 bytes) and salt (14 bytes) of its direction's SRTP stream. */
    public SrtcpContext(byte[] masterKey, byte[] masterSalt) {
        this.keys = new SessionKeys(masterKey, masterSalt, SessionKeys.SRTCP_LABELS);
    }

    /**
     * Encrypts the RTCP compound packet of {@code length} bytes in place and appends the E flag, its index and the
     * tag; returns the new length ({@code packet} needs {@link #OVERHEAD} bytes of room).
     */
    public int protect(byte[] packet, int length) {
        if (length < CLEAR_BYTES) {
            throw new IllegalArgumentException("an RTCP packet has at least 8 bytes");
        }
        sentIndex = (sentIndex + 1) & 0x7FFFFFFFL;
        keys.crypt(packet, CLEAR_BYTES, length - CLEAR_BYTES, senderSsrc(packet), sentIndex);
        long word = 0x80000000L | sentIndex;
        for (int i = 0; i < INDEX_BYTES; i++) {
            packet[length + i] = (byte) (word >>> (24 - 8 * i));
        }
        keys.mac(packet, 0, length + INDEX_BYTES);
        keys.macInto(tag);
        System.arraycopy(tag, 0, packet, length + INDEX_BYTES, TAG_BYTES);
        return length + OVERHEAD;
    }

    /**
     * Checks and (when its E flag says it is encrypted) decrypts the SRTCP packet of {@code length} bytes in place;
     * returns the RTCP packet's length, or -1 when it is too short, its tag is wrong or it is a replay.
     */
    public int unprotect(byte[] packet, int length) {
        if (length < CLEAR_BYTES + OVERHEAD) {
            return -1;
        }
        int rtcpLength = length - OVERHEAD;
        long word = 0;
        for (int i = 0; i < INDEX_BYTES; i++) {
            word = word << 8 | (packet[rtcpLength + i] & 0xFF);
        }
        boolean encrypted = (word & 0x80000000L) != 0;
        long index = word & 0x7FFFFFFFL;
        long packetSsrc = senderSsrc(packet);
        if (packetSsrc != ssrc) {
            ssrc = packetSsrc;
            replays.reset();
        }
        if (!replays.fresh(index)) {
            return -1;
        }
        keys.mac(packet, 0, rtcpLength + INDEX_BYTES);
        keys.macInto(tag);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, TAG_BYTES),
                java.util.Arrays.copyOfRange(packet, length - TAG_BYTES, length))) {
            return -1;
        }
        if (encrypted) {
            keys.crypt(packet, CLEAR_BYTES, rtcpLength - CLEAR_BYTES, packetSsrc, index);
        }
        replays.mark(index);
        return rtcpLength;
    }

    private static long senderSsrc(byte[] packet) {
        return (packet[4] & 0xFFL) << 24 | (packet[5] & 0xFFL) << 16 | (packet[6] & 0xFFL) << 8 | (packet[7] & 0xFFL);
    }
}
