package org.switchboard.media.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.switchboard.media.audio.Wav;

/**
 * Opens what {@code playback} names: {@code silence_stream://<ms>}, {@code tone_stream://...}, or a WAV file
 * (absolute, or relative to the sound folder), with an optional {@code @@<sample offset>}.
 */
public final class Sources {

    private Sources() {
    }

    /** Plays audio already in memory (a prompt cache): nothing is read on the media clock. */
    public static AudioSource of(org.switchboard.media.audio.Audio audio) {
        return new Samples(audio, 0);
    }

    /** Plays audio already in memory from a sample offset (8 kHz samples after conversion). */
    public static AudioSource of(org.switchboard.media.audio.Audio audio, long offsetSamples) {
        return new Samples(audio, offsetSamples);
    }

    /**
     * Opens a source (this reads files: do it off the media clock thread).
     *
     * @throws NoSuchFileException when a file is not there (FreeSWITCH's {@code FILE NOT FOUND})
     * @throws IOException when a file cannot be read as audio
     * @throws IllegalArgumentException when a stream spec is malformed
     */
    public static AudioSource open(String spec, Path soundFolder) throws IOException {
        if (spec.startsWith("silence_stream://")) {
            String ms = spec.substring("silence_stream://".length()).split(",")[0].strip();
            return new Silence(Long.parseLong(ms));
        }
        if (spec.startsWith("tone_stream://")) {
            return ToneStream.parse(spec.substring("tone_stream://".length()));
        }
        FileSpec f = FileSpec.parse(spec);
        Path file = soundFolder.resolve(f.name());
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return new Samples(Wav.read(file), f.offset());
    }

    /**
     * A file to play, as FreeSWITCH writes it: {@code name[@@offset]}, the offset in samples.
     *
     * @param name the file name, relative to the sound folder or absolute
     * @param offset where to start, in samples (0 unless given)
     */
    public record FileSpec(String name, long offset) {

        /** Reads {@code name@@offset} or a bare name. */
        public static FileSpec parse(String spec) {
            int at = spec.lastIndexOf("@@");
            return at > 0 ? new FileSpec(spec.substring(0, at), Long.parseLong(spec.substring(at + 2).strip()))
                    : new FileSpec(spec, 0);
        }
    }
}
