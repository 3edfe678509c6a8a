package org.switchboard.media.codec;

/** G.722 (RTP payload type 9, clocked at 8000 by RFC 3551's historical error while sampling at 16 kHz). */
final class G722Codec implements Codec {

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
        HalfBand up = HalfBand.up();
        short[] wide = new short[2 * FRAME];
        return (pcm, out) -> {
            up.up(pcm, FRAME, wide);
            g722.encode(wide, wide.length, out);
            return FRAME;
        };
    }

    @Override
    public Decoder decoder() {
        G722 g722 = new G722();
        HalfBand down = HalfBand.down();
        short[][] wide = {new short[2 * FRAME]};
        short[][] narrow = {new short[FRAME]};
        return (payload, from, length, out, offset) -> {
            if (wide[0].length < 2 * length) {
                wide[0] = new short[2 * length];
                narrow[0] = new short[length];
            }
            g722.decode(payload, from, length, wide[0]);
            down.down(wide[0], 2 * length, narrow[0]);
            System.arraycopy(narrow[0], 0, out, offset, length);
            return length;
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
