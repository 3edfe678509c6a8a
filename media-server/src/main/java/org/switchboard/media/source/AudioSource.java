package org.switchboard.media.source;

/**
 * Something a channel plays: mono linear samples at {@link #rate}, read a frame at a time by the media clock (a
 * channel at another rate reads it through {@link Sources#atRate}). Positions and lengths count samples at that rate.
 * Not thread-safe: one channel reads it.
 */
public interface AudioSource {

    /** The sample rate of what it gives. */
    int rate();

    /**
     * Fills up to {@code length} samples from {@code offset}.
     *
     * @return the number of samples written, less than {@code length} only at the end; -1 when nothing is left
     */
    int read(short[] buffer, int offset, int length);

    /** Samples read so far. */
    long position();

    /** Samples left to read, or -1 when it is endless or not known. */
    default long remaining() {
        return -1;
    }
}
