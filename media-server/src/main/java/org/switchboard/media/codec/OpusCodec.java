package org.switchboard.media.codec;

import java.util.Optional;

/**
 * Opus (RFC 7587: clocked at 48000, rtpmap {@code opus/48000/2} whatever is sent), coded by native libopus or
 * Concentus (see {@link OpusCoder}). Encoder and decoder run at the channel's rate: 48 kHz, or the lower rate a peer's
 * {@code maxplaybackrate} asks for (8 or 16 kHz, as FreeSWITCH's mod_opus picks its 8, 16 or 48 kHz implementation).
 * Opus converts internally, so whatever rate the peer encodes at decodes at ours. The fmtp asks for in-band FEC,
 * which the decoder uses to recover a lost packet from the one after it.
 */
final class OpusCodec implements Codec {

    private final int rate;
    private final OpusCoder coder;

    OpusCodec(int rate, OpusCoder coder) {
        this.rate = rate;
        this.coder = coder;
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
        return OpusCoder.BIT_RATE;
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
        return coder.encoder(rate);
    }

    @Override
    public Decoder decoder() {
        return coder.decoder(rate);
    }

    /** What codes it: native libopus and its version, or Concentus. */
    String implementation() {
        return coder.description();
    }

    @Override
    public String toString() {
        return rate == 48000 ? name() : name() + "@" + rate;
    }
}
