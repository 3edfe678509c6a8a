package org.switchboard.media.rtp;

/** The indexes received lately (RFC 3711's replay list): the highest, and the 64 below it as bits. Not thread-safe. */
final class ReplayWindow {

    private static final int SIZE = 64;

    private long highest = -1;
    /** Bit i: the index {@code highest - i} was received. */
    private long bits;

    /** Whether {@code index} may be accepted: newer than the window, or in it and not seen. */
    boolean fresh(long index) {
        if (highest < 0) {
            return true;
        }
        long behind = highest - index;
        return behind < 0 || behind < SIZE && (bits & (1L << behind)) == 0;
    }

    /** Records {@code index} (authenticated and fresh); returns whether it is the new highest. */
    boolean mark(long index) {
        if (index > highest) {
            bits = highest < 0 || index - highest >= SIZE ? 1 : (bits << (index - highest)) | 1;
            highest = index;
            return true;
        }
        bits |= 1L << (highest - index);
        return false;
    }

    /** Forgets everything (a new source). */
    void reset() {
        highest = -1;
        bits = 0;
    }
}
