package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;

/**
 * The jitter buffer without sockets or a clock: packets go in as the event loop would hand them over, frames come out
 * as the clock would read them. Each packet's 20 ms holds one level, so a frame read tells which packet it came from.
 */
class JitterBufferTest {

    /** Samples in 20 ms at 8 kHz. */
    private static final int FRAME = 160;

    private static final long SSRC = 0x1234;
    private static final int SILENCE = -1;

    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final RtpSession.Stats stats = new RtpSession.Stats(MediaMeters.create(registry));
    private final JitterBuffer jitter = new JitterBuffer(stats);
    // the level of each packet's audio, decoded, to the packet's number
    private final Map<Short, Integer> levels = new HashMap<>();
    private int nextCode = 0x10;

    @Test
    void playoutStartsOnceTwoFramesAreBufferedAndStopsWhenEmpty() {
        add(1);
        assertThat(read(1)).as("20 ms are not enough to start").containsExactly(SILENCE);
        add(2);
        assertThat(read(3)).containsExactly(1, 2, SILENCE);
    }

    @Test
    void reorderedPacketsPlayInSequence() {
        add(10);
        add(12);
        add(11);
        add(13);
        assertThat(read(4)).containsExactly(10, 11, 12, 13);
        assertThat(stats.lost()).isZero();
    }

    @Test
    void aMissingPacketIsWaitedForThreePacketsThenCountedLost() {
        add(20);
        add(22);
        add(23);
        add(24);
        assertThat(stats.lost()).as("three packets after the gap: still waiting for it").isZero();
        add(25);
        assertThat(stats.lost()).isEqualTo(1);
        assertThat(registry.get("media.rtp.packets.lost").functionCounter().count()).as("the server's total too").isEqualTo(1);
        assertThat(read(5)).containsExactly(20, 22, 23, 24, 25);
    }

    @Test
    void duplicatesAndLatePacketsAreDropped() {
        add(30);
        add(31);
        add(31);
        add(30);
        assertThat(read(3)).containsExactly(30, 31, SILENCE);
        assertThat(stats.lost()).isZero();
    }

    @Test
    void aJumpBeyondTheSlotsCountsTheGapLostAndGoesOnFromThere() {
        add(40);
        add(41);
        add(60);
        assertThat(stats.lost()).as("42 to 59").isEqualTo(18);
        assertThat(read(3)).containsExactly(40, 41, 60);
    }

    @Test
    void aNewSourceIsFollowedFromItsOwnFirstNumber() {
        add(SSRC, 100);
        add(SSRC, 102);
        add(SSRC + 1, 5000);
        add(SSRC + 1, 5001);
        assertThat(read(4)).as("what was held of the old source plays first").containsExactly(100, 102, 5000, 5001);
        assertThat(stats.lost()).as("the old source's missing 101").isEqualTo(1);
    }

    @Test
    void eventsKeepTheirPlaceInTheSequenceWithoutAudio() {
        add(50);
        jitter.add(SSRC, 51, 101, new byte[16], 12, 16);
        add(52);
        assertThat(read(3)).as("52 is not held back waiting for 51").containsExactly(50, 52, SILENCE);
        assertThat(stats.lost()).isZero();
    }

    private void add(int sequence) {
        add(SSRC, sequence);
    }

    /** A packet of 20 ms at a level of its own (one G.711 code, told apart when it is read). */
    private void add(long ssrc, int sequence) {
        byte code = (byte) nextCode++;
        levels.put(G711.PCMU.decode(code), sequence);
        byte[] packet = new byte[12 + FRAME];
        Arrays.fill(packet, 12, packet.length, code);
        jitter.add(ssrc, sequence, 0, packet, 12, packet.length);
    }

    /** The packet numbers of the next frames read, {@link #SILENCE} for a silent one. */
    private List<Integer> read(int frames) {
        List<Integer> out = new ArrayList<>();
        short[] in = new short[FRAME];
        for (int f = 0; f < frames; f++) {
            jitter.read(in);
            out.add(packetOf(in));
        }
        return out;
    }

    private int packetOf(short[] frame) {
        for (short s : frame) {
            if (s != frame[0]) {
                throw new AssertionError("a frame mixes packets: " + Arrays.toString(frame));
            }
        }
        if (frame[0] == 0) {
            return SILENCE;
        }
        Integer sequence = levels.get(frame[0]);
        if (sequence == null) {
            throw new AssertionError("no packet at level " + frame[0]);
        }
        return sequence;
    }
}
