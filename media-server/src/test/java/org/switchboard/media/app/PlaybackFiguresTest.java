package org.switchboard.media.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.core.Truth;
import org.switchboard.media.source.Sources;

/** The playback_* arithmetic FreeSWITCH's play loop does (switch_ivr_play_file, switch_core_file_read). */
class PlaybackFiguresTest {

    @Test
    void samplesReadCountTheChunksReadAheadUpToWhatTheFileHolds() {
        assertThat(Playback.samplesRead(24000, 0, true)).isEqualTo(24000);
        assertThat(Playback.samplesRead(8000, 40000, false)).isEqualTo(16384);
        assertThat(Playback.samplesRead(16384, 40000, false)).isEqualTo(32768);
        assertThat(Playback.samplesRead(8000, 2000, false)).as("a file ending within the chunk").isEqualTo(10000);
        assertThat(Playback.samplesRead(8000, -1, false)).as("an endless stream").isEqualTo(16384);
        assertThat(Playback.samplesRead(0, 40000, false)).isZero();
    }

    @Test
    void offsetsAndTruth() {
        assertThat(Playback.startOffset("prompt.wav@@8000")).isEqualTo(8000);
        assertThat(Playback.startOffset("prompt.wav")).isZero();
        assertThat(Playback.startOffset("prompt.wav@@x")).isZero();
        assertThat(Truth.isTrue("true")).isTrue();
        assertThat(Truth.isTrue("1")).isTrue();
        assertThat(Truth.isTrue("0")).isFalse();
        assertThat(Truth.isTrue("no")).isFalse();
    }

    @Test
    void theLastOffsetPositionCountsWhatWasSentAtTheChannelsRate() {
        // fsmrf's suite: vm-record_message.wav@@8000 on an Opus channel, timed out after 2 s, reports 104000
        // (the channel plays at 48 kHz: 2 s sent are 96000 samples, the offset counts the file's)
        assertThat(Playback.lastOffsetPosition("voicemail/8000/vm-record_message.wav@@8000", 96000))
                .isEqualTo(104000);
        assertThat(Playback.lastOffsetPosition("prompt.wav@@8000", 16000)).isEqualTo(24000);
        assertThat(Playback.lastOffsetPosition("prompt.wav", 32000)).as("G.722, 2 s").isEqualTo(32000);
    }

    @Test
    void aBudgetEndsThePlayAtExactlyThatManySamplesAndSaysSo() {
        Playback.Budgeted timed = new Playback.Budgeted(Sources.of(Audio.of(8000, 1, new short[40000])), 16000);
        short[] frame = new short[160];
        long sent = 0;
        int n;
        while ((n = timed.read(frame, 0, frame.length)) > 0) {
            sent += n;
        }
        assertThat(sent).isEqualTo(16000);
        assertThat(timed.position()).isEqualTo(16000);
        assertThat(timed.spent()).isTrue();

        // what an earlier file of the list left is no whole number of frames: the short read is the last one
        Playback.Budgeted ragged = new Playback.Budgeted(Sources.of(Audio.of(8000, 1, new short[40000])), 16050);
        int last = 0;
        for (int i = 0; i < 101; i++) {
            last = ragged.read(frame, 0, frame.length);
        }
        assertThat(last).isEqualTo(50);
        assertThat(ragged.spent()).as("known at the short read, which ends the play").isTrue();

        Playback.Budgeted longer = new Playback.Budgeted(Sources.of(Audio.of(8000, 1, new short[1000])), 16000);
        int reads = 0;
        while (longer.read(frame, 0, frame.length) > 0) {
            reads++;
        }
        assertThat(reads).isEqualTo(7);
        assertThat(longer.position()).isEqualTo(1000);
        assertThat(longer.spent()).as("the file ended first").isFalse();
    }
}
