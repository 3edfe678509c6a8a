package org.switchboard.media.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;

class SourcesTest {

    /** Everything a source gives, read 20 ms at a time as the media clock does. */
    private static short[] drain(AudioSource source, int maxSamples) {
        short[] all = new short[maxSamples];
        int at = 0;
        short[] frame = new short[160];
        int n;
        while (at < maxSamples && (n = source.read(frame, 0, 160)) > 0) {
            int take = Math.min(n, maxSamples - at);
            System.arraycopy(frame, 0, all, at, take);
            at += take;
        }
        return java.util.Arrays.copyOf(all, at);
    }

    private static double rms(short[] s, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) s[i] * s[i];
        }
        return Math.sqrt(e / (to - from));
    }

    @Test
    void silenceLastsWhatItSays(@TempDir Path dir) throws IOException {
        AudioSource s = Sources.open("silence_stream://500", dir, 8000);
        short[] got = drain(s, 100_000);
        assertThat(got).hasSize(4000).containsOnly((short) 0);
        assertThat(s.position()).isEqualTo(4000);
        assertThat(drain(Sources.open("silence_stream://-1", dir, 8000), 80_000)).hasSize(80_000);
    }

    @Test
    void aToneStreamPlaysItsCadence(@TempDir Path dir) throws IOException {
        // US ringback: 2 s of 440+480 Hz, 4 s off, twice
        short[] got = drain(Sources.open("tone_stream://%(2000,4000,440,480);loops=2", dir, 8000), 1_000_000);
        assertThat(got).hasSize(2 * 6 * 8000);
        assertThat(rms(got, 0, 16000)).isGreaterThan(3000);
        assertThat(rms(got, 16000, 48000)).isZero();
        assertThat(rms(got, 48000, 64000)).isGreaterThan(3000);
        assertThatThrownBy(() -> Sources.open("tone_stream://440", dir, 8000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesAreResampledAndStartAtTheirOffset(@TempDir Path dir) throws IOException {
        short[] ramp = new short[16000];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (Math.sin(2 * Math.PI * 300 * i / 16000) * 8000);
        }
        Wav.write(dir.resolve("prompt.wav"), Audio.of(16000, 1, ramp));
        assertThat(drain(Sources.open("prompt.wav", dir, 8000), 100_000)).hasSize(8000);
        // the offset counts the file's samples (as FreeSWITCH seeks in the file): 6000 of 16000 leave 0.625 s
        assertThat(drain(Sources.open("prompt.wav@@6000", dir, 8000), 100_000)).hasSize(5000);
        assertThat(drain(Sources.open("prompt.wav@@6000", dir, 48000), 100_000)).as("at 48 kHz").hasSize(30000);
        assertThatThrownBy(() -> Sources.open("missing.wav", dir, 8000)).isInstanceOf(NoSuchFileException.class);
    }
}
