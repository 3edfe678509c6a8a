package org.switchboard.media.session;

import java.util.Arrays;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;

/**
 * The receive side of one RTP session: packets held briefly for reordering (by sequence number, in slots allocated once:
 * a thousand calls receive 50,000 packets a second, and garbage at that rate costs the clock its pauses), decoded at the
 * codec's rate into a playout buffer that starts once 40 ms are buffered and drops the oldest past 200 ms, read out a
 * 20 ms frame a tick. A packet lost in between is recovered where the codec can (Opus: from the next packet's redundancy, else by
 * its concealment). Filled by the event loop that reads the socket, emptied by the clock thread: every method holds this object's
 * monitor, for a few array copies.
 */
final class JitterBuffer {

    /** Playout starts once this many frames are buffered; beyond the maximum the oldest is dropped. */
    private static final int PLAYOUT_START_FRAMES = 2;
    private static final int PLAYOUT_MAX_FRAMES = 10;
    /** The most one payload decodes to: 120 ms. */
    private static final int MAX_DECODED_FRAMES = 6;
    private static final int REORDER_WAIT = 3;
    /** Packets held for reordering, by sequence number modulo this (a power of two above {@link #REORDER_WAIT}). */
    private static final int REORDER_SLOTS = 8;
    /** The largest payload kept: 120 ms of G.711. */
    private static final int MAX_PAYLOAD = 960;
    private static final Codec.Decoder PCMU = G711.PCMU.decoder();
    private static final Codec.Decoder PCMA = G711.PCMA.decoder();

    private final RtpSession.Stats stats;
    private final byte[][] heldPayload = new byte[REORDER_SLOTS][];
    private final int[] heldLength = new int[REORDER_SLOTS];
    private final boolean[] held = new boolean[REORDER_SLOTS];
    /** The decoder of each held packet; null for an event or a payload type not negotiated. */
    private final Codec.Decoder[] heldDecoder = new Codec.Decoder[REORDER_SLOTS];
    private int payloadType = 0;
    private Codec.Decoder decoder = PCMU;
    /** 20 ms at the decoder's rate; the buffers below are sized from it. */
    private int frame = Audio.frameLength(Audio.TELEPHONY_RATE);
    private short[] decoded = new short[MAX_DECODED_FRAMES * frame];
    private int heldCount;
    private long receivingSsrc = -1;
    private short[] playout = new short[(PLAYOUT_MAX_FRAMES + MAX_DECODED_FRAMES) * frame];
    private int playoutLength;
    private boolean playing;
    private int expected = -1;

    JitterBuffer(RtpSession.Stats stats) {
        this.stats = stats;
    }

    /**
     * The negotiated payload type, the decoder of its packets and its rate (G.711's static types are decoded whatever
     * it is, on an 8 kHz channel). Audio buffered at another rate is dropped.
     */
    synchronized void decoder(int payloadType, Codec.Decoder decoder, int rate) {
        flush(); // what is held was sent with the old codec: decoded by the old decoder, which then goes
        this.decoder.close();
        this.payloadType = payloadType;
        this.decoder = decoder;
        int nextFrame = Audio.frameLength(rate);
        if (nextFrame != frame) {
            frame = nextFrame;
            decoded = new short[MAX_DECODED_FRAMES * frame];
            playout = new short[(PLAYOUT_MAX_FRAMES + MAX_DECODED_FRAMES) * frame];
            playoutLength = 0;
            playing = false;
        }
    }

    /** Frees the decoder's state (a native codec's); packets after this are taken as undecodable. */
    synchronized void close() {
        decoder.close();
    }

    /**
     * Takes a packet's payload (an event or another codec takes its place in the sequence without audio, so the
     * audio after it is not held back as if something were missing).
     */
    synchronized void add(long ssrc, int sequence, int type, byte[] data, int start, int end) {
        if (ssrc != receivingSsrc) {
            // a new source numbers its packets afresh: play what is held of the old one, then follow the new one
            flush();
            receivingSsrc = ssrc;
            expected = -1;
        }
        boolean narrow = frame == Audio.frameLength(Audio.TELEPHONY_RATE);
        Codec.Decoder d = type == payloadType ? decoder : !narrow ? null : type == 0 ? PCMU : type == 8 ? PCMA : null;
        hold(sequence, d, data, start, d == null ? 0 : Math.min(end - start, MAX_PAYLOAD));
        drain();
    }

    /**
     * Fills {@code in} (20 ms at the decoder's rate; anything else gets silence) with the next 20 ms to play, or
     * silence while too little is buffered.
     */
    synchronized void read(short[] in) {
        if (!playing && playoutLength >= PLAYOUT_START_FRAMES * frame) {
            playing = true;
        }
        if (playing && playoutLength >= frame && in.length == frame) {
            System.arraycopy(playout, 0, in, 0, frame);
            System.arraycopy(playout, frame, playout, 0, playoutLength - frame);
            playoutLength -= frame;
        } else {
            Arrays.fill(in, (short) 0);
            playing = playoutLength > 0 && playing;
        }
    }

    /** Keeps a packet in its slot until it is next in sequence, or until waiting for the ones before it is over. */
    private void hold(int sequence, Codec.Decoder d, byte[] data, int start, int length) {
        if (expected < 0) {
            expected = sequence;
        }
        int ahead = (sequence - expected) & 0xFFFF;
        if (ahead >= 0x8000) {
            return; // late or duplicate
        }
        if (ahead >= REORDER_SLOTS) {
            // a jump beyond what can be held (a long loss): play what is held, then go on from here
            flush();
            stats.lost((sequence - expected) & 0xFFFF);
            expected = sequence;
        }
        // what is held lies within REORDER_SLOTS of the expected number, so a taken slot holds this very packet
        int slot = sequence & (REORDER_SLOTS - 1);
        if (held[slot]) {
            return; // a duplicate of one still held
        }
        if (heldPayload[slot] == null) {
            heldPayload[slot] = new byte[MAX_PAYLOAD];
        }
        System.arraycopy(data, start, heldPayload[slot], 0, length);
        heldLength[slot] = length;
        heldDecoder[slot] = d;
        held[slot] = true;
        heldCount++;
    }

    /** Moves in-order packets (and, after waiting a little, the next ones past a gap) into the playout buffer. */
    private void drain() {
        while (heldCount > 0 && (held[expected & (REORDER_SLOTS - 1)] || heldCount > REORDER_WAIT)) {
            skipOrTake();
        }
    }

    /** Plays everything held, counting the gaps between as lost. */
    private void flush() {
        while (heldCount > 0) {
            skipOrTake();
        }
    }

    /** Plays the expected packet if held, else counts it lost; either way expects the next one. */
    private void skipOrTake() {
        int slot = expected & (REORDER_SLOTS - 1);
        if (held[slot]) {
            if (heldDecoder[slot] != null && heldLength[slot] > 0) {
                append(heldDecoder[slot].decode(heldPayload[slot], 0, heldLength[slot], decoded, 0));
            }
            held[slot] = false;
            heldDecoder[slot] = null;
            heldCount--;
        } else {
            stats.lost(1);
            int next = (expected + 1) & (REORDER_SLOTS - 1);
            append(held[next] && heldDecoder[next] == decoder
                    ? decoder.recover(heldPayload[next], 0, heldLength[next], decoded, 0)
                    : decoder.recover(null, 0, 0, decoded, 0));
        }
        expected = (expected + 1) & 0xFFFF;
    }

    /** Appends {@code n} samples of {@link #decoded} to what plays out. */
    private void append(int n) {
        if (playoutLength + n > playout.length) {
            int drop = playoutLength + n - PLAYOUT_MAX_FRAMES * frame;
            System.arraycopy(playout, drop, playout, 0, playoutLength - drop); // too much delay: drop the oldest
            playoutLength -= drop;
        }
        System.arraycopy(decoded, 0, playout, playoutLength, n);
        playoutLength += n;
    }
}
