package org.switchboard.media.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.RateConverter;
import org.switchboard.media.audio.Wav;

/**
 * Opens what {@code playback} names: {@code silence_stream://<ms>}, {@code tone_stream://...}, or a WAV file
 * (absolute, or relative to the sound folder), with an optional {@code @@<sample offset>}.
 */
public final class Sources {

    private Sources() {
    }

    /** Plays audio already in memory (a prompt cache) at its own rate: nothing is read on the media clock. */
    public static AudioSource of(Audio audio) {
        return new Samples(audio, 0);
    }

    /** Plays audio already in memory at its own rate from a sample offset (in its samples). */
    public static AudioSource of(Audio audio, long offsetSamples) {
        return new Samples(audio, offsetSamples);
    }

    /**
     * {@code source} as a source at {@code rate}: itself when it is at that rate, else converted 20 ms at a time by a
     * band-limited {@link RateConverter} (a bridge between channels of two rates, a conference's mix, a play whose
     * channel changed codec).
     */
    public static AudioSource atRate(AudioSource source, int rate) {
        return source.rate() == rate ? source : new Resampled(source, rate);
    }

    /**
     * Opens a source at {@code rate}, the channel's (this reads files: do it off the media clock thread). A file at
     * another rate is converted whole, band-limited ({@link Audio#resample}); its {@code @@offset} counts the file's
     * samples, as in FreeSWITCH.
     *
     * @throws NoSuchFileException when a file is not there (FreeSWITCH's {@code FILE NOT FOUND})
     * @throws IOException when a file cannot be read as audio
     * @throws IllegalArgumentException when a stream spec is malformed
     */
    public static AudioSource open(String spec, Path soundFolder, int rate) throws IOException {
        if (spec.startsWith("silence_stream://")) {
            String ms = spec.substring("silence_stream://".length()).split(",")[0].strip();
            return new Silence(Long.parseLong(ms), rate);
        }
        if (spec.startsWith("tone_stream://")) {
            return ToneStream.parse(spec.substring("tone_stream://".length()), rate);
        }
        FileSpec f = FileSpec.parse(spec);
        Path file = soundFolder.resolve(f.name());
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        Audio audio = Wav.read(file);
        return new Samples(audio.toMono().resample(rate), f.offset() * rate / audio.sampleRate());
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
