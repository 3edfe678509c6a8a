package org.switchboard.media.codec;

import java.util.Optional;

/**
 * An audio codec a channel can negotiate. A channel runs at its codec's {@link #sampleRate} (8 kHz for G.711,
 * 16 kHz for G.722, 48 kHz for Opus unless the peer asked for less), as FreeSWITCH's channels do; a codec's encoder
 * takes 20 ms frames at that rate and its decoder gives them back. Encoders and decoders keep state (ADPCM predictors, Opus
 * internals), so each RTP session takes its own, and closes it when done: a native codec's state lives outside the
 * heap.
 */
public interface Codec {

    /** The encoding name as SDP writes it ({@code PCMU}, {@code G722}, {@code opus}). */
    String name();

    /** The RTP clock rate (what the timestamp counts and the rtpmap says: 8000 for G.722, 48000 for Opus). */
    int clockRate();

    /**
     * The audio rate the codec works at ({@code 16000} for G.722), which is the channel's rate, as FreeSWITCH's
     * {@code read_rate} reports it.
     */
    int sampleRate();

    /** The channel count the rtpmap carries ({@code 2} for Opus, as RFC 7587 requires), 1 for the others. */
    default int rtpmapChannels() {
        return 1;
    }

    /** The bit rate FreeSWITCH reports for the codec. */
    int bitRate();

    /** The static RTP payload type (RFC 3551), or the dynamic type written in our own offers. */
    int payloadType();

    /** The {@code a=fmtp} parameters written for this codec, if any. */
    default Optional<String> fmtp() {
        return Optional.empty();
    }

    /** A new encoder with its own state. */
    Encoder encoder();

    /** A new decoder with its own state. */
    Decoder decoder();

    /** Frames of audio at the codec's rate to payloads. */
    interface Encoder extends AutoCloseable {
        /**
         * Encodes 20 ms at the codec's rate from {@code pcm[0]} into {@code out}; returns the payload length (0 once
         * closed).
         */
        int encode(short[] pcm, byte[] out);

        /** Frees the encoder's state; it encodes nothing after. Closing twice is harmless. */
        @Override
        default void close() {
        }
    }

    /** Payloads to audio at the codec's rate. */
    interface Decoder extends AutoCloseable {
        /**
         * Decodes one payload into {@code out} from {@code offset}; returns the samples written (0 for a payload it
         * cannot read). {@code out} has room for 120 ms at the codec's rate.
         */
        int decode(byte[] payload, int from, int length, short[] out, int offset);

        /**
         * Fills in one lost 20 ms frame at {@code out[offset]}, from the packet after it ({@code next}, may be null)
         * where the codec carries redundancy, else by concealment; returns the samples written (0: none, the gap
         * is skipped).
         */
        default int recover(byte[] next, int from, int length, short[] out, int offset) {
            return 0;
        }

        /** Frees the decoder's state; it decodes nothing after (0 samples). Closing twice is harmless. */
        @Override
        default void close() {
        }
    }
}
