package org.switchboard.media.core;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.WavRecorder;

/**
 * A recording of a channel to a WAV file at 8 kHz: what the peer sends, or (for {@code record_session}) both legs
 * mixed. Written a frame at a time on the clock thread; stopped from any thread.
 */
public final class Recording {

    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    private final Path path;
    private final boolean bothLegs;
    private final long limitSamples;
    private final WavRecorder wav;
    private final Runnable changed;
    private volatile boolean stopped;
    private volatile long silentSamples;
    private volatile long samples;

    Recording(Path path, boolean bothLegs, long limitSamples, Runnable changed) throws IOException {
        this.changed = changed;
        this.path = path;
        this.bothLegs = bothLegs;
        this.limitSamples = limitSamples;
        java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
        this.wav = WavRecorder.create(path, 8000, 1);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    synchronized void write(short[] heard, short[] sent, int silenceThreshold) {
        if (stopped) {
            return;
        }
        short[] frame = heard;
        if (bothLegs) {
            frame = new short[heard.length];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, heard[i] + sent[i]));
            }
        }
        long energy = 0;
        for (short s : heard) {
            energy += Math.abs(s);
        }
        silentSamples = energy / heard.length < silenceThreshold ? silentSamples + heard.length : 0;
        try {
            wav.write(frame, 0, frame.length);
            samples += frame.length;
            // the recorder waits for its limit or for whole seconds of silence: tell it when either is reached
            if (full() || (silentSamples > 0 && silentSamples % 8000 == 0)) {
                changed.run();
            }
        } catch (IOException e) {
            LOG.warn("MS-REC-001 writing {} failed; the recording stops", path, e);
            stopped = true;
        }
    }

    /** Whether the time limit was reached. */
    public boolean full() {
        return limitSamples > 0 && samples >= limitSamples;
    }

    /** Samples of continuous silence at the end so far. */
    public long silentSamples() {
        return silentSamples;
    }

    /** Samples written. */
    public long samples() {
        return samples;
    }

    /** Whether the recording has stopped (or failed to write). */
    public boolean stopped() {
        return stopped;
    }

    /** Stops and closes the file (the header gets its lengths); idempotent. */
    public synchronized void stop() {
        stopped = true;
        try {
            wav.close();
        } catch (IOException e) {
            LOG.warn("MS-REC-002 closing {} failed", path, e);
        }
    }
}
