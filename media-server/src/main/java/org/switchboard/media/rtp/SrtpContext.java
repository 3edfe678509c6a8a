package org.switchboard.media.rtp;

import java.security.MessageDigest;

/**
 * One direction of an SRTP stream (RFC 3711): session keys derived from the master key and salt (key derivation
 * rate 0, {@code SessionKeys}), AES counter-mode encryption of the payload, an HMAC-SHA1 tag over the packet and the rollover counter,
 * and on receipt the packet index estimated from the sequence number, the tag checked (in constant time) and
 * replays refused with a 64-packet window. A receiving context follows one SSRC; a new SSRC starts its state
 * afresh. Use a context for one direction only. Not thread-safe: the sending side uses it from the clock thread, the receiving side from the socket's event loop.
 */
public final class SrtpContext {

    private final SrtpSuite suite;
    private final SessionKeys keys;
    private final ReplayWindow replays = new ReplayWindow();
    private final byte[] tag = new byte[20];

    private long ssrc = -1;
    private long roc;
    private int highestSequence = -1;

    /** A context for {@code suite} with the 16-byte master key and the 14-byte master salt. */
    public SrtpContext(SrtpSuite suite, byte[] masterKey, byte[] masterSalt) {
        this.suite = suite;
        this.keys = new SessionKeys(masterKey, masterSalt, SessionKeys.SRTP_LABELS);
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
        keys.crypt(packet, start, length - start, RtpPacket.ssrc(packet, 0), index);
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
            replays.reset();
        }
        long guessedRoc = estimateRoc(sequence);
        long index = (guessedRoc << 16) | sequence;
        if (!replays.fresh(index)) {
            return -1; // too old to tell, or a replay
        }
        authenticate(packet, rtpLength, guessedRoc);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, tagBytes),
                java.util.Arrays.copyOfRange(packet, rtpLength, length))) {
            return -1;
        }
        keys.crypt(packet, start, rtpLength - start, packetSsrc, index);
        if (replays.mark(index)) {
            highestSequence = sequence;
            roc = guessedRoc;
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

    /** The HMAC-SHA1 of the packet's first {@code length} bytes and the rollover counter, into {@link #tag}. */
    private void authenticate(byte[] packet, int length, long rollover) {
        keys.mac(packet, 0, length);
        keys.mac(rollover);
        keys.macInto(tag);
    }
}
