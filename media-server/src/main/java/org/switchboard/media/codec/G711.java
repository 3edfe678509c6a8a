package org.switchboard.media.codec;

/**
 * ITU-T G.711 companding between 16-bit linear PCM and 8-bit μ-law (PCMU, RTP payload type 0) or A-law (PCMA,
 * payload type 8). Decoding is exact; encoding rounds to the nearest segment step, so decoding an encoded code
 * gives that code back (for μ-law, both zero codes decode to 0, which encodes to {@code 0xFF}).
 */
public enum G711 implements Codec {
    /** μ-law, as North America and Japan use it. */
    PCMU(0) {
        @Override
        public byte encode(short pcm) {
            int sample = pcm;
            int sign = (sample >> 8) & 0x80;
            if (sign != 0) {
                sample = -sample;
            }
            sample = Math.min(sample, ULAW_CLIP) + ULAW_BIAS;
            int exponent = 7;
            for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
                exponent--;
            }
            int mantissa = (sample >> (exponent + 3)) & 0x0F;
            return (byte) ~(sign | (exponent << 4) | mantissa);
        }

        @Override
        public short decode(byte code) {
            return ULAW_TABLE[code & 0xFF];
        }
    },
    /** A-law, as Europe and most of the world use it. */
    PCMA(8) {
        @Override
        public byte encode(short pcm) {
            int sample = pcm >> 3;
            int mask;
            if (sample >= 0) {
                mask = 0xD5;
            } else {
                mask = 0x55;
                sample = -sample - 1;
            }
            int segment = 0;
            while (segment < 8 && sample > ALAW_SEGMENT_END[segment]) {
                segment++;
            }
            if (segment >= 8) {
                return (byte) (0x7F ^ mask);
            }
            int code = segment << 4;
            code |= segment < 2 ? (sample >> 1) & 0x0F : (sample >> segment) & 0x0F;
            return (byte) (code ^ mask);
        }

        @Override
        public short decode(byte code) {
            return ALAW_TABLE[code & 0xFF];
        }
    };

    private static final int FRAME = 160;
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;
    private static final int[] ALAW_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final short[] ULAW_TABLE = new short[256];
    private static final short[] ALAW_TABLE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            int u = ~i & 0xFF;
            int exponent = (u >> 4) & 0x07;
            int magnitude = ((((u & 0x0F) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
            ULAW_TABLE[i] = (short) ((u & 0x80) != 0 ? -magnitude : magnitude);

            int a = i ^ 0x55;
            int t = (a & 0x0F) << 4;
            int segment = (a & 0x70) >> 4;
            t += segment == 0 ? 8 : 0x108;
            if (segment > 1) {
                t <<= segment - 1;
            }
            ALAW_TABLE[i] = (short) ((a & 0x80) != 0 ? t : -t);
        }
    }

    private final int payloadType;

    G711(int payloadType) {
        this.payloadType = payloadType;
    }

    /** The static RTP payload type (RFC 3551): 0 for PCMU, 8 for PCMA. */
    @Override
    public int payloadType() {
        return payloadType;
    }

    @Override
    public int clockRate() {
        return 8000;
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public int bitRate() {
        return 64000;
    }

    /** G.711 keeps no state: one encoder serves every session. */
    @Override
    public Codec.Encoder encoder() {
        return (pcm, out) -> {
            encode(pcm, 0, out, 0, FRAME);
            return FRAME;
        };
    }

    /** G.711 keeps no state: one decoder serves every session. */
    @Override
    public Codec.Decoder decoder() {
        return (payload, from, length, out, offset) -> {
            decode(payload, from, out, offset, length);
            return length;
        };
    }

    /** One linear sample to its 8-bit code. */
    public abstract byte encode(short pcm);

    /** One 8-bit code to its linear sample. */
    public abstract short decode(byte code);

    /** Encodes {@code length} samples from {@code pcm[from]} into {@code out[to]}. */
    public void encode(short[] pcm, int from, byte[] out, int to, int length) {
        for (int i = 0; i < length; i++) {
            out[to + i] = encode(pcm[from + i]);
        }
    }

    /** Decodes {@code length} codes from {@code codes[from]} into {@code out[to]}. */
    public void decode(byte[] codes, int from, short[] out, int to, int length) {
        for (int i = 0; i < length; i++) {
            out[to + i] = decode(codes[from + i]);
        }
    }

    /** The law of an RTP payload type, if it is 0 or 8. */
    public static java.util.Optional<G711> ofPayloadType(int payloadType) {
        return payloadType == 0 ? java.util.Optional.of(PCMU)
                : payloadType == 8 ? java.util.Optional.of(PCMA) : java.util.Optional.empty();
    }
}
