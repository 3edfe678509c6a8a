package org.switchboard.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;

/** Opus through Concentus (pure Java): about 1.6 times the CPU of native libopus, but it runs everywhere. */
final class ConcentusOpus implements OpusCoder {

    static final ConcentusOpus INSTANCE = new ConcentusOpus();

    private ConcentusOpus() {
    }

    @Override
    public Codec.Encoder encoder(int rate) {
        OpusEncoder encoder;
        try {
            encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus encoder", e);
        }
        encoder.setBitrate(BIT_RATE);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(PACKET_LOSS_PERCENT);
        encoder.setComplexity(COMPLEXITY);
        int frame = rate / 50;
        return (pcm, out) -> {
            try {
                return encoder.encode(pcm, 0, frame, out, 0, out.length);
            } catch (OpusException e) {
                throw new IllegalStateException("Opus encoding failed", e);
            }
        };
    }

    @Override
    public Codec.Decoder decoder(int rate) {
        OpusDecoder decoder;
        try {
            decoder = new OpusDecoder(rate, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot make an Opus decoder", e);
        }
        int frame = rate / 50;
        return new Codec.Decoder() {
            @Override
            public int decode(byte[] payload, int from, int length, short[] out, int offset) {
                try {
                    return Math.max(0, decoder.decode(payload, from, length, out, offset, 6 * frame, false));
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
    public String description() {
        return "Concentus (pure Java)";
    }
}
