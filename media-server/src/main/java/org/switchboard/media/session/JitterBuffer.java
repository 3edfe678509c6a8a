package org.switchboard.media.session;

import java.util.Arrays;
import org.switchboard.media.codec.G711;

/**
 * The receive side of one RTP session: packets held briefly for reordering (by sequence number, in slots allocated once:
 * a thousand calls receive 50,000 packets a second, and garbage at that rate costs the clock its pauses), decoded into
 * a playout buffer that starts once 40 ms are buffered and drops the oldest past 200 ms, read out a 20 ms frame a
 * tick. Filled by the event loop that reads the socket, emptied by the clock thread: every method holds this object's
 * monitor, for a few array copies.
 */
final class JitterBuffer {

    private static final int FRAME = RtpSession.FRAME;
    /** Playout starts once this much audio is buffered; beyond the maximum the oldest is dropped. */
    private static final int PLAYOUT_START = 2 * FRAME;
    private static final int PLAYOUT_MAX = 10 * FRAME;
    private static final int REORDER_WAIT = 3;
    /** Packets held for reordering, by sequence number modulo this (a power of two above {@link #REORDER_WAIT}). */
    private static final int REORDER_SLOTS = 8;
    /** The largest payload kept: 120 ms of G.711. */
    private static final int MAX_PAYLOAD = 960;

    private final RtpSession.Stats stats;
    private final byte[][] heldPayload = new byte[REORDER_SLOTS][];
    private final int[] heldLength = new int[REORDER_SLOTS];
    private final G711[] heldLaw = new G711[REORDER_SLOTS];
    private int heldCount;
    private long receivingSsrc = -1;
    private final short[] playout = new short[PLAYOUT_MAX + 480];
    private int playoutLength;
    private boolean playing;
    private int expected = -1;

    JitterBuffer(RtpSession.Stats stats) {
        this.stats = stats;
    }

    /**
     * Takes a packet's payload ({@code law} null: an event or another codec, which takes its place in the sequence
     * without audio, so the audio after it is not held back as if something were missing).
     */
    synchronized void add(long ssrc, int sequence, G711 law, byte[] data, int start, int end) {
        if (ssrc != receivingSsrc) {
            // a new source numbers its packets afresh: play what is held of the old one, then follow the new one
            flush();
            receivingSsrc = ssrc;
            expected = -1;
        }
        hold(sequence, law == null ? G711.PCMU : law, data, start, law == null ? 0 : Math.min(end - start, MAX_PAYLOAD));
        drain();
    }

    /** Fills {@code in} with the next 20 ms to play, or silence while too little is buffered. */
    synchronized void read(short[] in) {
        if (!playing && playoutLength >= PLAYOUT_START) {
            playing = true;
        }
        if (playing && playoutLength >= FRAME) {
            System.arraycopy(playout, 0, in, 0, FRAME);
            System.arraycopy(playout, FRAME, playout, 0, playoutLength - FRAME);
            playoutLength -= FRAME;
        } else {
            Arrays.fill(in, (short) 0);
            playing = playoutLength > 0 && playing;
        }
    }

    /** Keeps a packet in its slot until it is next in sequence, or until waiting for the ones before it is over. */
    private void hold(int sequence, G711 law, byte[] data, int start, int length) {
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
            stats.lost.add((sequence - expected) & 0xFFFF);
            expected = sequence;
        }
        // what is held lies within REORDER_SLOTS of the expected number, so a taken slot holds this very packet
        int slot = sequence & (REORDER_SLOTS - 1);
        if (heldLaw[slot] != null) {
            return; // a duplicate of one still held
        }
        if (heldPayload[slot] == null) {
            heldPayload[slot] = new byte[MAX_PAYLOAD];
        }
        System.arraycopy(data, start, heldPayload[slot], 0, length);
        heldLength[slot] = length;
        heldLaw[slot] = law;
        heldCount++;
    }

    /** Moves in-order packets (and, after waiting a little, the next ones past a gap) into the playout buffer. */
    private void drain() {
        while (heldCount > 0 && (heldLaw[expected & (REORDER_SLOTS - 1)] != null || heldCount > REORDER_WAIT)) {
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
        if (heldLaw[slot] != null) {
            append(heldLaw[slot], heldPayload[slot], heldLength[slot]);
            heldLaw[slot] = null;
            heldCount--;
        } else {
            stats.lost.increment();
        }
        expected = (expected + 1) & 0xFFFF;
    }

    private void append(G711 law, byte[] codes, int length) {
        int n = Math.min(length, playout.length);
        if (playoutLength + n > playout.length) {
            int drop = playoutLength + n - PLAYOUT_MAX;
            System.arraycopy(playout, drop, playout, 0, playoutLength - drop); // too much delay: drop the oldest
            playoutLength -= drop;
        }
        law.decode(codes, 0, playout, playoutLength, n);
        playoutLength += n;
    }
}
