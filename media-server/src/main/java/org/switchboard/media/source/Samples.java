package org.switchboard.media.source;

import org.switchboard.media.audio.Audio;

/** Audio (made mono once) played at its own rate from an offset; the samples are shared, never copied whole. */
final class Samples implements AudioSource {

    private final Audio audio;
    private int next;
    private long position;

    Samples(Audio audio, long offsetSamples) {
        this.audio = audio.toMono();
        this.next = (int) Math.min(Math.max(0, offsetSamples), this.audio.frames());
    }

    @Override
    public int rate() {
        return audio.sampleRate();
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        int n = audio.copy(next, buffer, offset, length);
        if (n == 0) {
            return -1;
        }
        next += n;
        position += n;
        return n;
    }

    @Override
    public long remaining() {
        return audio.frames() - next;
    }

    @Override
    public long position() {
        return position;
    }
}
