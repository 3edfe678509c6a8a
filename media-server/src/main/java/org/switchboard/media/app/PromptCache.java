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
 * Prompts read once and kept as 8 kHz audio: a prompt played again (by the next call, or by the next loop) is not
 * read, parsed and resampled again, which at a thousand channels would be most of the garbage. A changed file (size
 * or modification time) is read again. Least recently used prompts go beyond {@link #MAX_SAMPLES} in all.
 * Thread-safe.
 */
final class PromptCache {

    /** 8 kHz samples kept at most: one hour of audio, 57 MB. */
    static final long MAX_SAMPLES = 8000L * 3600;

    private record Entry(Audio audio, long size, long modified) {
    }

    private final Map<Path, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long samples;

    /**
     * What {@code playback} names, as a source: {@code silence_stream://}, {@code tone_stream://} and files with
     * {@code @@offset}, the files from the cache.
     *
     * @throws NoSuchFileException when a file is not there
     */
    AudioSource open(String spec, Path folder) throws IOException {
        if (spec.contains("://")) {
            return Sources.open(spec, folder);
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
        Entry entry;
        synchronized (this) {
            entry = entries.get(file);
        }
        if (entry == null || entry.size != size || entry.modified != modified) {
            entry = new Entry(Wav.read(file).toTelephony(), size, modified);
            synchronized (this) {
                Entry old = entries.put(file, entry);
                samples += entry.audio.frames() - (old == null ? 0 : old.audio.frames());
                var it = entries.entrySet().iterator();
                while (samples > MAX_SAMPLES && it.hasNext()) {
                    Map.Entry<Path, Entry> eldest = it.next();
                    if (eldest.getKey().equals(file)) {
                        continue;
                    }
                    samples -= eldest.getValue().audio.frames();
                    it.remove();
                }
            }
        }
        return Sources.of(entry.audio, f.offset());
    }

    synchronized int size() {
        return entries.size();
    }
}
