package org.switchboard.media.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
        assertThat(Playback.isTrue("true")).isTrue();
        assertThat(Playback.isTrue("1")).isTrue();
        assertThat(Playback.isTrue("0")).isFalse();
        assertThat(Playback.isTrue("no")).isFalse();
    }
}
