package org.switchboard.media.core;

import org.switchboard.media.source.AudioSource;

/**
 * What a channel sends: the source being played, else the conference mix (when the channel is in one), else
 * silence. It never ends, so the RTP session keeps sending; every frame is remembered for recordings of both legs.
 * Read on the clock thread; set from the channel thread.
 */
final class Output implements AudioSource {

    private AudioSource playing;
    private Runnable done;
    private AudioSource background;
    private final short[] last = new short[160];
    private long position;
    private boolean muted;

    synchronized void mute(boolean on) {
        muted = on;
    }

    synchronized void play(AudioSource source, Runnable whenDone) {
        playing = source;
        done = whenDone;
    }

    /** Stops what plays; its completion does not run. */
    synchronized void stop() {
        playing = null;
        done = null;
    }

    synchronized void background(AudioSource source) {
        background = source;
    }

    @Override
    public synchronized int read(short[] buffer, int offset, int length) {
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
        if (n < length && background != null) {
            int m = Math.max(0, background.read(buffer, offset + n, length - n));
            n += m;
        }
        java.util.Arrays.fill(buffer, muted ? offset : offset + n, offset + length, (short) 0);
        System.arraycopy(buffer, offset, last, 0, Math.min(length, last.length));
        position += length;
        return length;
    }

    /** The frame sent last (for recordings of both legs). */
    synchronized short[] lastFrame() {
        return last.clone();
    }

    @Override
    public synchronized long position() {
        return position;
    }
}
