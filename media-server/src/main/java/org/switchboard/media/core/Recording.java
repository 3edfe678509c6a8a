package org.switchboard.media.core;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.WavRecorder;

/**
 * A recording of a channel to a WAV file at 8 kHz: what the peer sends, or (for {@code record_session}) both legs
 * mixed. Written a frame at a time on the clock thread (the disk writes happen on another, see {@link WavRecorder});
 * stopped from any thread but the clock.
 */
public final class Recording {

    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    private final Path path;
    private final boolean bothLegs;
    private final boolean stereo;
    private final long limitSamples;
    private final short[] frame = new short[2 * 160];
    private final WavRecorder wav;
    private final Runnable changed;
    private volatile boolean stopped;
    private boolean closing;
    private volatile long silentSamples;
    private volatile long samples;

    /**
     * A recording of what the peer sends, or of both legs: mixed in one channel, or (stereo, FreeSWITCH's
     * RECORD_STEREO) the peer on the left and what was sent on the right.
     */
    Recording(Path path, boolean bothLegs, boolean stereo, long limitSamples, Runnable changed) throws IOException {
        this.changed = changed;
        this.path = path;
        this.bothLegs = bothLegs;
        this.stereo = bothLegs && stereo;
        this.limitSamples = limitSamples;
        java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
        this.wav = WavRecorder.create(path, 8000, this.stereo ? 2 : 1);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    synchronized void write(short[] heard, short[] sent, int silenceThreshold) {
        if (stopped || full()) {
            return; // a full recording waits for the channel thread to stop it (and fire RECORD_STOP)
        }
        short[] out = heard;
        int length = heard.length;
        if (stereo) {
            for (int i = 0; i < heard.length; i++) {
                frame[2 * i] = heard[i];
                frame[2 * i + 1] = sent[i];
            }
            out = frame;
            length = 2 * heard.length;
        } else if (bothLegs) {
            for (int i = 0; i < heard.length; i++) {
                frame[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, heard[i] + sent[i]));
            }
            out = frame;
        }
        long energy = 0;
        for (short s : heard) {
            energy += Math.abs(s);
        }
        silentSamples = energy / heard.length < silenceThreshold ? silentSamples + heard.length : 0;
        try {
            wav.write(out, 0, length);
            samples += heard.length;
            // the recorder waits for its limit or for whole seconds of silence: tell it when either is reached
            if (full() || (silentSamples > 0 && silentSamples % 8000 == 0)) {
                changed.run();
            }
        } catch (IOException e) {
            LOG.warn("MS-REC-001 writing {} failed; the recording stops", path, e);
            stopped = true;
            changed.run();
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

    /**
     * Stops and closes the file (the header gets its lengths), returning once it is written; idempotent. The file is
     * closed outside the lock the clock's writes take, so the clock never waits for the disk.
     */
    public void stop() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            stopped = true;
        }
        try {
            wav.close();
        } catch (IOException e) {
            LOG.warn("MS-REC-002 closing {} failed", path, e);
        }
    }
}
