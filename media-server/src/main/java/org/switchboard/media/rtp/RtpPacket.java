package org.switchboard.media.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One RTP packet (RFC 3550): the fixed header fields this server uses and the payload. CSRC lists, header
 * extensions and padding are skipped when read and never written.
 *
 * @param marker the M bit (first packet of a talkspurt, start of a telephone event)
 * @param payloadType 0..127
 * @param sequence 16-bit sequence number
 * @param timestamp 32-bit media timestamp
 * @param ssrc 32-bit synchronisation source
 * @param payload the payload bytes
 */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {

    /** The fixed header length. */
    public static final int HEADER_BYTES = 12;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0..127");
        }
        sequence &= 0xFFFF;
        timestamp &= 0xFFFF_FFFFL;
        ssrc &= 0xFFFF_FFFFL;
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Reads a datagram.
     *
     * @throws IllegalArgumentException when it is not RTP version 2 or its lengths do not add up
     */
    public static RtpPacket parse(byte[] data, int offset, int length) {
        int start = payloadStart(data, offset, length);
        int end = payloadEnd(data, offset, length);
        int b1 = data[offset + 1] & 0xFF;
        return new RtpPacket((b1 & 0x80) != 0, b1 & 0x7F, u16(data, offset + 2), u32(data, offset + 4),
                u32(data, offset + 8), Arrays.copyOfRange(data, offset + start, offset + end));
    }

    /**
     * Where a datagram's payload starts, relative to {@code offset}: after the fixed header, the CSRC list and a
     * header extension. For reading a packet in place, without {@link #parse}'s copy.
     *
     * @throws IllegalArgumentException when it is not RTP version 2 or its lengths do not add up
     */
    public static int payloadStart(byte[] data, int offset, int length) {
        int start = headerEnd(data, offset, length);
        int end = payloadEnd(data, offset, length);
        if (start > end) {
            throw new IllegalArgumentException("RTP header of " + start + " bytes in a packet of " + end);
        }
        return start;
    }

    /**
     * Where a datagram's header ends, relative to {@code offset}: after the fixed header, the CSRC list and a header
     * extension, not looking at padding (SRTP encrypts the padding count, so it cannot be read before decrypting).
     *
     * @throws IllegalArgumentException when it is not RTP version 2 or the header runs past the packet
     */
    public static int headerEnd(byte[] data, int offset, int length) {
        if (length < HEADER_BYTES) {
            throw new IllegalArgumentException("an RTP packet has at least 12 bytes, this one " + length);
        }
        int b0 = data[offset] & 0xFF;
        if (b0 >> 6 != 2) {
            throw new IllegalArgumentException("RTP version " + (b0 >> 6) + ", not 2");
        }
        int start = HEADER_BYTES + (b0 & 0x0F) * 4;
        if ((b0 & 0x10) != 0) {
            if (length < start + 4) {
                throw new IllegalArgumentException("RTP header extension runs past the packet");
            }
            start += 4 + (((data[offset + start + 2] & 0xFF) << 8) | (data[offset + start + 3] & 0xFF)) * 4;
        }
        if (start > length) {
            throw new IllegalArgumentException("RTP header of " + start + " bytes in a packet of " + length);
        }
        return start;
    }

    /** Where a datagram's payload ends, relative to {@code offset} (before any padding); check it with {@link #payloadStart}. */
    public static int payloadEnd(byte[] data, int offset, int length) {
        return (data[offset] & 0x20) != 0 ? length - (data[offset + length - 1] & 0xFF) : length;
    }

    /** The payload type of a datagram checked with {@link #payloadStart}. */
    public static int payloadType(byte[] data, int offset) {
        return data[offset + 1] & 0x7F;
    }

    /** The synchronisation source of a datagram checked with {@link #payloadStart}. */
    public static long ssrc(byte[] data, int offset) {
        return u32(data, offset + 8);
    }

    /** The sequence number of a datagram checked with {@link #payloadStart}. */
    public static int sequence(byte[] data, int offset) {
        return u16(data, offset + 2);
    }

    /** The packet on the wire. */
    public byte[] toBytes() {
        byte[] out = new byte[HEADER_BYTES + payload.length];
        out[0] = (byte) 0x80;
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequence >> 8);
        out[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            out[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            out[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
        return out;
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | d[at + 1] & 0xFF;
    }

    private static long u32(byte[] d, int at) {
        return Integer.toUnsignedLong((d[at] & 0xFF) << 24 | (d[at + 1] & 0xFF) << 16 | (d[at + 2] & 0xFF) << 8 | d[at + 3] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && marker == p.marker && payloadType == p.payloadType && sequence == p.sequence
                && timestamp == p.timestamp && ssrc == p.ssrc && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(marker, payloadType, sequence, timestamp, ssrc) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RTP pt=" + payloadType + " seq=" + sequence + " ts=" + timestamp + (marker ? " M" : "") + " "
                + payload.length + " bytes";
    }
}
