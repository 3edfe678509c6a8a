package org.switchboard.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Optional;

/**
 * Opus (RFC 7587: clocked at 48000, rtpmap {@code opus/48000/2} whatever is sent) through Concentus, a pure-Java
 * port of libopus. Encoder and decoder run at the channel's rate: 48 kHz, or the lower rate a peer's
 * {@code maxplaybackrate} asks for (8 or 16 kHz, as FreeSWITCH's mod_opus picks its 8, 16 or 48 kHz implementation).
 * Opus converts internally, so whatever rate the peer encodes at decodes at ours. The fmtp asks for in-band FEC,
 * which the decoder uses to recover a lost packet from the one after it.
 */
final class OpusCodec implements Codec {

    private static final int BIT_RATE = 24000;

    private final int rate;
    /** Samples in 20 ms at {@link #rate}. */
    private final int frame;
    /** Samples in the longest Opus packet, 120 ms. */
    private final int maxSamples;

    OpusCodec(int rate) {
        this.rate = rate;
        this.frame = rate / 50;
        this.maxSamples = 6 * frame;
    }

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
        return rate;
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
        return Optional.of(rate == 48000 ? "useinbandfec=1"
                : "useinbandfec=1; maxplaybackrate=" + rate + "; sprop-maxcapturerate=" + rate);
    }

    @Override
    public Encoder encoder() {
        OpusEncoder encoder;
        try {
            encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus encoder", e);
        }
        encoder.setBitrate(BIT_RATE);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(10);
        encoder.setComplexity(5);
        return (pcm, out) -> {
            try {
                return encoder.encode(pcm, 0, frame, out, 0, out.length);
            } catch (OpusException e) {
                throw new IllegalStateException("Opus encoding failed", e);
            }
        };
    }

    @Override
    public Decoder decoder() {
        OpusDecoder decoder;
        try {
            decoder = new OpusDecoder(rate, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus decoder", e);
        }
        return new Decoder() {
            @Override
            public int decode(byte[] payload, int from, int length, short[] out, int offset) {
                try {
                    return Math.max(0, decoder.decode(payload, from, length, out, offset, maxSamples, false));
                } catch (OpusException | RuntimeException e) {
                    return 0; // a packet Concentus cannot read is a lost one
                }
            }

            @Override
            public int recover(byte[] next, int from, int length, short[] out, int offset) {
                try {
                    return next == null
                            ? Math.max(0, decoder.decode(null, 0, 0, out, offset, frame, false))
                            : Math.max(0, decoder.decode(next, from, length, out, offset, frame, true));
                } catch (OpusException | RuntimeException e) {
                    return 0;
                }
            }
        };
    }

    @Override
    public String toString() {
        return rate == 48000 ? name() : name() + "@" + rate;
    }
}
