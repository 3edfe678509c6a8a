package org.switchboard.media.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.source.AudioSource;

/** Prompts are read once, read again when the file changes, and played from offsets. */
class PromptCacheTest {

    @TempDir
    Path folder;

    static Audio constant(int value, int samples, int rate) {
        short[] s = new short[samples];
        java.util.Arrays.fill(s, (short) value);
        return Audio.of(rate, 1, s);
    }

    static int total(AudioSource source) {
        short[] buf = new short[160];
        int n = 0;
        for (int r; (r = source.read(buf, 0, buf.length)) > 0; ) {
            n += r;
        }
        return n;
    }

    @Test
    void readsOnceAndAgainWhenTheFileChanges() throws Exception {
        PromptCache cache = new PromptCache();
        Path file = folder.resolve("p.wav");
        Wav.write(file, constant(1000, 8000, 8000));
        assertThat(total(cache.open("p.wav", folder, 8000))).isEqualTo(8000);
        assertThat(total(cache.open("p.wav@@6000", folder, 8000))).isEqualTo(2000);
        assertThat(cache.size()).isEqualTo(1);
        Wav.write(file, constant(1000, 16000, 16000)); // 1 s at 16 kHz: 8000 samples after conversion
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Wav.write(folder.resolve("q.wav"), constant(1, 800, 8000));
        assertThat(total(cache.open("p.wav", folder, 8000))).isEqualTo(8000);
        Wav.write(file, constant(1000, 4000, 8000));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(total(cache.open("p.wav", folder, 8000))).as("the changed file").isEqualTo(4000);
        assertThat(total(cache.open("silence_stream://100", folder, 8000))).isEqualTo(800);
        assertThatThrownBy(() -> cache.open("nope.wav", folder, 8000)).isInstanceOf(NoSuchFileException.class);
    }
}
