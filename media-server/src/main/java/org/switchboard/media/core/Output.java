package org.switchboard.media.core;

import java.util.concurrent.atomic.AtomicReference;
import org.switchboard.media.source.AudioSource;

/**
 * What a channel sends: the source being played, else the conference mix or bridged audio (the background), else
 * silence. It never ends, so the RTP session keeps sending; every frame is remembered for recordings of both legs.
 *
 * <p>Read on the clock thread, set from the channel thread without a lock: a new play (or a stop) is handed over in
 * one atomic slot that the clock thread takes at its next frame, so the clock never waits for a channel thread
 * that was descheduled while holding a lock.
 */
final class Output implements AudioSource {

    private record Play(AudioSource source, Runnable done) {
    }

    private static final Play STOP = new Play(null, null);

    private final AtomicReference<Play> next = new AtomicReference<>();
    private volatile AudioSource background;
    private volatile boolean muted;
    // clock thread only
    private AudioSource playing;
    private Runnable done;
    private final short[] last = new short[160];
    private long position;

    void play(AudioSource source, Runnable whenDone) {
        next.set(new Play(source, whenDone));
    }

    /** Stops what plays; its completion does not run. */
    void stop() {
        next.set(STOP);
    }

    void background(AudioSource source) {
        background = source;
    }

    void mute(boolean on) {
        muted = on;
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        Play handed = next.getAndSet(null);
        if (handed != null) {
            playing = handed.source;
            done = handed.done;
        }
        int n = 0;
        if (playing != null) {
            n = Math.max(0, playing.read(buffer, offset, length));
            if (n < length) {
                Runnable d = done;
                playing = null;
                done = null;
                if (d != null) {
                    d.run();
                }
            }
        }
        AudioSource under = background;
        if (n < length && under != null) {
            n += Math.max(0, under.read(buffer, offset + n, length - n));
        }
        java.util.Arrays.fill(buffer, muted ? offset : offset + n, offset + length, (short) 0);
        System.arraycopy(buffer, offset, last, 0, Math.min(length, last.length));
        position += length;
        return length;
    }

    /** The frame sent last (clock thread only: for recordings of both legs, written in the same tick). */
    short[] lastFrame() {
        return last;
    }

    @Override
    public long position() {
        return position;
    }
}
