package org.switchboard.media.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a channel hears from its peer, on the media clock thread: silence instead while {@code set_mute read} is on,
 * then each 20 ms frame to the running recordings (with the frame sent meanwhile) and to the taps. Mute and taps change
 * on other threads: a volatile flag and a copy-on-write list, so the clock never waits.
 */
final class Hearing {

    private final Recordings recordings;
    private final Output output;
    private final List<BiConsumer<short[], short[]>> taps = new CopyOnWriteArrayList<>();
    private short[] silence = new short[0];
    private volatile boolean muted;

    Hearing(Recordings recordings, Output output) {
        this.recordings = recordings;
        this.output = output;
    }

    /** One frame heard (clock thread). */
    void heard(short[] heardFrame) {
        if (muted && silence.length != heardFrame.length) {
            silence = new short[heardFrame.length];
        }
        short[] frame = muted ? silence : heardFrame;
        recordings.write(frame, output.lastFrame());
        for (BiConsumer<short[], short[]> tap : taps) {
            tap.accept(frame, output.lastFrame());
        }
    }

    void mute(boolean on) {
        muted = on;
    }

    /** See {@link Channel#tapAudio}. */
    AutoCloseable tap(Consumer<short[]> tap) {
        return tapBothLegs((heardFrame, sent) -> tap.accept(heardFrame));
    }

    /** See {@link Channel#tapBothLegs}. */
    AutoCloseable tapBothLegs(BiConsumer<short[], short[]> tap) {
        taps.add(tap);
        return () -> taps.remove(tap);
    }
}
