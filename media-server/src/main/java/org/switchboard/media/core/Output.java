package org.switchboard.media.core;

import java.util.concurrent.atomic.AtomicReference;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * What a channel sends: the source being played, else the conference mix or bridged audio (the background), else
 * silence. It never ends, so the RTP session keeps sending; every frame is remembered for recordings of both legs.
 * It runs at the channel's rate: a source at another rate is read through a converter ({@link Sources#atRate}), made
 * again if the channel's rate changes (a re-INVITE to another codec).
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
    private volatile int rate = Audio.TELEPHONY_RATE;
    // clock thread only: the sources as given, and as read at the channel's rate
    private AudioSource playing;
    private AudioSource playingAtRate;
    private Runnable done;
    private AudioSource under;
    private int underRate;
    private AudioSource underAtRate;
    private short[] last = new short[Audio.frameLength(Audio.TELEPHONY_RATE)];
    private long position;

    @Override
    public int rate() {
        return rate;
    }

    /** The channel's rate, from its codec. */
    void rate(int channelRate) {
        rate = channelRate;
    }

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
        int now = rate;
        if (handed != null) {
            playing = handed.source;
            playingAtRate = playing == null ? null : Sources.atRate(playing, now);
            done = handed.done;
        } else if (playingAtRate != null && playingAtRate.rate() != now) {
            playingAtRate = Sources.atRate(playing, now);
        }
        int n = 0;
        if (playing != null) {
            n = Math.max(0, playingAtRate.read(buffer, offset, length));
            if (n < length) {
                Runnable d = done;
                playing = null;
                playingAtRate = null;
                done = null;
                if (d != null) {
                    d.run();
                }
            }
        }
        AudioSource below = background;
        // a bridged leg's rate changes with its codec: the converter follows either side
        if (below != under || (below != null && (below.rate() != underRate || underAtRate.rate() != now))) {
            under = below;
            underRate = below == null ? 0 : below.rate();
            underAtRate = below == null ? null : Sources.atRate(below, now);
        }
        if (n < length && underAtRate != null) {
            n += Math.max(0, underAtRate.read(buffer, offset + n, length - n));
        }
        java.util.Arrays.fill(buffer, muted ? offset : offset + n, offset + length, (short) 0);
        if (last.length != length) {
            last = new short[length];
        }
        System.arraycopy(buffer, offset, last, 0, length);
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
