package org.switchboard.media.source;

/** {@code silence_stream://<ms>}: that many milliseconds of silence, or endless for a negative length. */
final class Silence implements AudioSource {

    private final int rate;
    private final long total;
    private long position;

    Silence(long millis, int rate) {
        this.rate = rate;
        this.total = millis < 0 ? Long.MAX_VALUE : millis * rate / 1000;
    }

    @Override
    public int rate() {
        return rate;
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        if (position >= total) {
            return -1;
        }
        int n = (int) Math.min(length, total - position);
        java.util.Arrays.fill(buffer, offset, offset + n, (short) 0);
        position += n;
        return n;
    }

    @Override
    public long remaining() {
        return total == Long.MAX_VALUE ? -1 : total - position;
    }

    @Override
    public long position() {
        return position;
    }
}
