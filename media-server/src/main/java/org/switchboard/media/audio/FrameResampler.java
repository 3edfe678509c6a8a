package org.switchboard.media.audio;

/**
 * Brings 20 ms frames to one rate, the frames' own rate read from their length (a channel's frames change length
 * when a re-INVITE changes its codec, and the converter is made again then). A frame already at the rate is given
 * back as it is; the others are converted, band-limited, into an array of this resampler that the next frame reuses.
 * Not thread-safe: one stream per resampler.
 */
public final class FrameResampler {

    private final int to;
    private final short[] out;
    private RateConverter converter;
    private short[] scratch = new short[0];

    /** Frames to {@code to} Hz. */
    public FrameResampler(int to) {
        this.to = to;
        this.out = new short[Audio.frameLength(to)];
    }

    /** {@code frame} (20 ms at any rate) at this resampler's rate: itself, or the array of this resampler. */
    public short[] convert(short[] frame) {
        int from = frame.length * Audio.FRAMES_PER_SECOND;
        if (from == to) {
            return frame;
        }
        if (converter == null || converter.from() != from) {
            converter = RateConverter.between(from, to);
            scratch = new short[converter.maxOutput(frame.length)];
        }
        int n = converter.convert(frame, 0, frame.length, scratch, 0); // 20 ms in, exactly 20 ms out
        System.arraycopy(scratch, 0, out, 0, Math.min(n, out.length));
        return out;
    }
}
