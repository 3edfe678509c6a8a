package org.switchboard.media.core;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.FrameResampler;
import org.switchboard.media.audio.WavRecorder;

/**
 * A recording of a channel to a WAV file at the channel's rate, or at the rate asked ({@code record_sample_rate}, as in
 * FreeSWITCH; converted band-limited): what the peer sends, or (for {@code record_session}) both legs mixed or in
 * stereo. Written a frame at a time on the clock thread (the disk writes happen on another, see {@link WavRecorder});
 * stopped from any thread but the clock. Counts are in samples of the file.
 */
public final class Recording {

    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

    private final Path path;
    private final boolean bothLegs;
    private final boolean stereo;
    private final int rate;
    private final long limitSamples;
    private final WavRecorder wav;
    private final Runnable changed;
    // clock thread, under this: the frames being put together, and what brings each side to the file's rate
    private short[] mixed = new short[0];
    private short[] interleaved = new short[0];
    private final FrameResampler leftToFile;
    private final FrameResampler rightToFile;
    private volatile boolean stopped;
    private boolean closing;
    private volatile long silentSamples;
    private volatile long samples;

    /**
     * A recording of what the peer sends, or of both legs: mixed in one channel, or (stereo, FreeSWITCH's
     * RECORD_STEREO) the peer on the left and what was sent on the right; at {@code rate}, ending after
     * {@code limitSeconds} (0: no limit).
     */
    Recording(Path path, boolean bothLegs, boolean stereo, int rate, long limitSeconds, Runnable changed)
            throws IOException {
        this.changed = changed;
        this.path = path;
        this.bothLegs = bothLegs;
        this.stereo = bothLegs && stereo;
        this.rate = rate;
        this.limitSamples = limitSeconds * rate;
        this.leftToFile = new FrameResampler(rate);
        this.rightToFile = new FrameResampler(rate);
        java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
        this.wav = WavRecorder.create(path, rate, this.stereo ? 2 : 1);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The file's sample rate. */
    public int rate() {
        return rate;
    }

    /** One frame heard and the frame sent meanwhile, both at the channel's rate (clock thread). */
    synchronized void write(short[] heard, short[] sent, int silenceThreshold) {
        if (stopped || full()) {
            return; // a full recording waits for the channel thread to stop it (and fire RECORD_STOP)
        }
        short[] left = heard;
        if (bothLegs && !stereo) {
            if (mixed.length != heard.length) {
                mixed = new short[heard.length];
            }
            for (int i = 0; i < heard.length; i++) {
                int other = i < sent.length ? sent[i] : 0;
                mixed[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, heard[i] + other));
            }
            left = mixed;
        }
        left = leftToFile.convert(left);
        short[] out = left;
        int length = left.length;
        if (stereo) {
            short[] right = rightToFile.convert(sent);
            length = 2 * left.length;
            if (interleaved.length != length) {
                interleaved = new short[length];
            }
            for (int i = 0; i < left.length; i++) {
                interleaved[2 * i] = left[i];
                interleaved[2 * i + 1] = i < right.length ? right[i] : 0;
            }
            out = interleaved;
        }
        long energy = 0;
        for (short s : heard) {
            energy += Math.abs(s);
        }
        silentSamples = energy / heard.length < silenceThreshold ? silentSamples + left.length : 0;
        try {
            wav.write(out, 0, length);
            samples += left.length;
            // the recorder waits for its limit or for whole seconds of silence: tell it when either is reached
            if (full() || (silentSamples > 0 && silentSamples % rate == 0)) {
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
