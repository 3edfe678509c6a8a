package org.switchboard.media.source;

import org.switchboard.media.audio.Audio;

/** A file's audio, already at 8 kHz mono, played from an offset. */
final class Samples implements AudioSource {

    private final short[] samples;
    private int next;
    private long position;

    Samples(Audio audio, long offsetSamples) {
        this.samples = audio.toTelephony().samples();
        this.next = (int) Math.min(Math.max(0, offsetSamples), samples.length);
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        if (next >= samples.length) {
            return -1;
        }
        int n = Math.min(length, samples.length - next);
        System.arraycopy(samples, next, buffer, offset, n);
        next += n;
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }
}
