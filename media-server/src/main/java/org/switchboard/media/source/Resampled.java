package org.switchboard.media.source;

import org.switchboard.media.audio.RateConverter;

/**
 * A source read at another rate than its own: each read takes the same span of time from the source and converts it
 * with a streaming {@link RateConverter}, whose history runs on from frame to frame. Positions are the source's.
 */
final class Resampled implements AudioSource {

    private final AudioSource source;
    private final int rate;
    private final RateConverter converter;
    private short[] in = new short[0];
    private short[] out = new short[0];

    Resampled(AudioSource source, int rate) {
        this.source = source;
        this.rate = rate;
        this.converter = RateConverter.between(source.rate(), rate);
    }

    @Override
    public int rate() {
        return rate;
    }

    @Override
    public int read(short[] buffer, int offset, int length) {
        int wanted = (int) ((long) length * converter.from() / rate);
        if (in.length < wanted) {
            in = new short[wanted];
            out = new short[converter.maxOutput(wanted)];
        }
        int n = source.read(in, 0, wanted);
        if (n <= 0) {
            return n;
        }
        // a whole frame converts to exactly a frame; only a source's short last read can leave a sample over
        int converted = Math.min(length, converter.convert(in, 0, n, out, 0));
        System.arraycopy(out, 0, buffer, offset, converted);
        return n < wanted ? Math.min(converted, length - 1) : converted;
    }

    @Override
    public long position() {
        return source.position();
    }

    @Override
    public long remaining() {
        long r = source.remaining();
        return r < 0 ? r : r * rate / converter.from();
    }
}
