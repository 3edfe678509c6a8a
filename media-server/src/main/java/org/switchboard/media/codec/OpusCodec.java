package org.switchboard.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Optional;

/**
 * Opus (RFC 7587: clocked at 48000, rtpmap {@code opus/48000/2} whatever is sent) through Concentus, a pure-Java
 * port of libopus. Encoder and decoder run at 8 kHz, the channels' rate: Opus converts internally, so a caller
 * sending at 16 or 48 kHz is decoded to 8 kHz and our narrowband stream is decodable at any rate. The answer's fmtp
 * says so ({@code maxplaybackrate=8000}) and asks for in-band FEC, which the decoder uses to recover a lost packet
 * from the one after it.
 */
final class OpusCodec implements Codec {

    private static final int RATE = 8000;
    private static final int FRAME = 160;
    private static final int BIT_RATE = 24000;
    /** The longest Opus packet, 120 ms, at 8 kHz. */
    private static final int MAX_SAMPLES = 960;

    @Override
    public String name() {
        return "opus";
    }

    @Override
    public int clockRate() {
        return 48000;
    }

    @Override
    public int sampleRate() {
        return 48000;
    }

    @Override
    public int rtpmapChannels() {
        return 2;
    }

    @Override
    public int bitRate() {
        return BIT_RATE;
    }

    @Override
    public int payloadType() {
        return 111;
    }

    @Override
    public Optional<String> fmtp() {
        return Optional.of("useinbandfec=1; maxplaybackrate=8000; sprop-maxcapturerate=8000");
    }

    @Override
    public Encoder encoder() {
        OpusEncoder encoder;
        try {
            encoder = new OpusEncoder(RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus encoder", e);
        }
        encoder.setBitrate(BIT_RATE);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(10);
        encoder.setComplexity(5);
        return (pcm, out) -> {
            try {
                return encoder.encode(pcm, 0, FRAME, out, 0, out.length);
            } catch (OpusException e) {
                throw new IllegalStateException("Opus encoding failed", e);
            }
        };
    }

    @Override
    public Decoder decoder() {
        OpusDecoder decoder;
        try {
            decoder = new OpusDecoder(RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus decoder", e);
        }
        return new Decoder() {
            @Override
            public int decode(byte[] payload, int from, int length, short[] out, int offset) {
                try {
                    return Math.max(0, decoder.decode(payload, from, length, out, offset, MAX_SAMPLES, false));
                } catch (OpusException | RuntimeException e) {
                    return 0; // a packet Concentus cannot read is a lost one
                }
            }

            @Override
            public int recover(byte[] next, int from, int length, short[] out, int offset) {
                try {
                    return next == null
                            ? Math.max(0, decoder.decode(null, 0, 0, out, offset, FRAME, false))
                            : Math.max(0, decoder.decode(next, from, length, out, offset, FRAME, true));
                } catch (OpusException | RuntimeException e) {
                    return 0;
                }
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
