package org.switchboard.sip.media;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Endpoint#record} records: a time limit, silence detection (an energy threshold and how many seconds of
 * silence end the recording) and a beep before it starts. Built with {@link #builder()}.
 */
public final class RecordOptions {

    /** No time limit. */
    public static final Duration NO_LIMIT = Duration.ZERO;
    /** The beep played before recording when {@link Builder#beep} is set: 250 ms of 1000 Hz. */
    public static final String BEEP = "tone_stream://%(250,0,1000)";

    private final Duration timeLimit;
    private final int silenceThreshold;
    private final int silenceHits;
    private final boolean beep;

    private RecordOptions(Builder b) {
        timeLimit = b.timeLimit;
        silenceThreshold = b.silenceThreshold;
        silenceHits = b.silenceHits;
        beep = b.beep;
    }

    /** A new builder: no limit, no silence detection, no beep. */
    public static Builder builder() {
        return new Builder();
    }

    /** The longest recording, in whole seconds; {@link #NO_LIMIT} for none. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /** The energy below which audio counts as silence; 0 when silence does not stop the recording. */
    public int silenceThreshold() {
        return silenceThreshold;
    }

    /** How many seconds of silence stop the recording (with a threshold). */
    public int silenceHits() {
        return silenceHits;
    }

    /** Whether a beep is played before recording. */
    public boolean beep() {
        return beep;
    }

    /** Builds {@link RecordOptions}. */
    public static final class Builder {
        private Duration timeLimit = NO_LIMIT;
        private int silenceThreshold;
        private int silenceHits;
        private boolean beep;

        private Builder() {
        }

        /** Limits the recording, in whole seconds (at least 1 s). */
        public Builder timeLimit(Duration limit) {
            Objects.requireNonNull(limit, "timeLimit");
            if (!limit.isZero() && limit.toSeconds() < 1) {
                throw new IllegalArgumentException("timeLimit must be 0 (none) or at least 1 s, was " + limit.toMillis() + " ms");
            }
            this.timeLimit = limit;
            return this;
        }

        /** Stops after {@code hits} seconds below energy {@code threshold} (both at least 1). */
        public Builder silence(int threshold, int hits) {
            if (threshold < 1 || hits < 1) {
                throw new IllegalArgumentException("silence: threshold and hits must be at least 1, was " + threshold
                        + " and " + hits + " s");
            }
            this.silenceThreshold = threshold;
            this.silenceHits = hits;
            return this;
        }

        /** Plays {@link RecordOptions#BEEP} before recording. */
        public Builder beep(boolean beep) {
            this.beep = beep;
            return this;
        }

        /** The options. */
        public RecordOptions build() {
            return new RecordOptions(this);
        }
    }
}
