package org.switchboard.media.codec;

/** G.722 (RTP payload type 9, clocked at 8000 by RFC 3551's historical error while sampling at 16 kHz). */
final class G722Codec implements Codec {

    /** Bytes in 20 ms: one byte per two 16 kHz samples. */
    private static final int FRAME = 160;

    @Override
    public String name() {
        return "G722";
    }

    @Override
    public int clockRate() {
        return 8000;
    }

    @Override
    public int sampleRate() {
        return 16000;
    }

    @Override
    public int bitRate() {
        return 64000;
    }

    @Override
    public int payloadType() {
        return 9;
    }

    @Override
    public Encoder encoder() {
        G722 g722 = new G722();
        return (pcm, out) -> {
            g722.encode(pcm, 2 * FRAME, out);
            return FRAME;
        };
    }

    @Override
    public Decoder decoder() {
        G722 g722 = new G722();
        return (payload, from, length, out, offset) -> {
            g722.decode(payload, from, length, out, offset);
            return 2 * length;
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
