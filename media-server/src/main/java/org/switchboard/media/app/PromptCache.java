package org.switchboard.media.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * Prompts read once and kept at each rate channels play them at (8 kHz for G.711, 16 kHz for G.722 ...), converted
 * band-limited once: a prompt played again (by the next call, or by the next loop) is not
 * read, parsed and resampled again, which at a thousand channels would be most of the garbage. A changed file (size
 * or modification time) is read again. Least recently used prompts go beyond {@link #MAX_SAMPLES} in all.
 * Thread-safe.
 */
final class PromptCache {

    /** Samples kept at most: one hour of audio at 8 kHz, 57 MB (twenty minutes at 16 kHz ...). */
    static final long MAX_SAMPLES = 8000L * 3600;

    /** A file as channels of one rate play it: converted to that rate once. */
    private record Key(Path file, int rate) {
    }

    private record Entry(Audio audio, int fileRate, long size, long modified) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long samples;

    /**
     * What {@code playback} names, as a source: {@code silence_stream://}, {@code tone_stream://} and files with
     * {@code @@offset}, the files from the cache.
     *
     * @throws NoSuchFileException when a file is not there
     */
    AudioSource open(String spec, Path folder, int rate) throws IOException {
        if (spec.contains("://")) {
            return Sources.open(spec, folder, rate);
        }
        Sources.FileSpec f = Sources.FileSpec.parse(spec);
        Path file = folder.resolve(f.name()).toAbsolutePath().normalize();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new NoSuchFileException(file.toString());
        }
        if (!attributes.isRegularFile()) {
            throw new NoSuchFileException(file.toString());
        }
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        Key key = new Key(file, rate);
        Entry entry;
        synchronized (this) {
            entry = entries.get(key);
        }
        if (entry == null || entry.size != size || entry.modified != modified) {
            Audio read = Wav.read(file);
            entry = new Entry(read.toMono().resample(rate), read.sampleRate(), size, modified);
            synchronized (this) {
                Entry old = entries.put(key, entry);
                samples += entry.audio.frames() - (old == null ? 0 : old.audio.frames());
                var it = entries.entrySet().iterator();
                while (samples > MAX_SAMPLES && it.hasNext()) {
                    Map.Entry<Key, Entry> eldest = it.next();
                    if (eldest.getKey().equals(key)) {
                        continue;
                    }
                    samples -= eldest.getValue().audio.frames();
                    it.remove();
                }
            }
        }
        // the offset counts the file's samples, as FreeSWITCH seeks in the file
        return Sources.of(entry.audio, f.offset() * rate / entry.fileRate);
    }

    synchronized int size() {
        return entries.size();
    }
}
