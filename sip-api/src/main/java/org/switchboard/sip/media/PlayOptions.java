package org.switchboard.sip.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Endpoint#play(PlayOptions)} plays: one file or several in turn (paths relative to the server's sound
 * folder, absolute paths, {@code silence_stream://<ms>}, {@code tone_stream://...}), with an optional time limit
 * and a start offset. Built with {@link #builder()}.
 */
public final class PlayOptions {

    /** No time limit. */
    public static final Duration NO_TIMEOUT = Duration.ZERO;

    private final List<String> files;
    private final Duration timeout;
    private final long seekOffset;

    private PlayOptions(Builder b) {
        this.files = List.copyOf(b.files);
        this.timeout = b.timeout;
        this.seekOffset = b.seekOffset;
    }

    /** Options for these files, played in order. */
    public static PlayOptions of(String... files) {
        Builder b = builder();
        for (String f : files) {
            b.file(f);
        }
        return b.build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The files, in play order; at least one. */
    public List<String> files() {
        return files;
    }

    /** The longest the playback may last; {@link #NO_TIMEOUT} for none. */
    public Duration timeout() {
        return timeout;
    }

    /** The sample offset the first file starts at; 0 from the start. */
    public long seekOffset() {
        return seekOffset;
    }

    /** Builds {@link PlayOptions}. */
    public static final class Builder {
        private final List<String> files = new ArrayList<>();
        private Duration timeout = NO_TIMEOUT;
        private long seekOffset;

        private Builder() {
        }

        /** Adds a file to play. */
        public Builder file(String file) {
            Objects.requireNonNull(file, "file");
            if (file.isBlank() || file.indexOf('!') >= 0 || file.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("file must be non-blank without '!' or line breaks, was '" + file + "'");
            }
            files.add(file);
            return this;
        }

        /** Limits the playback, in whole seconds (at least 1 s), or {@link #NO_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (!timeout.isZero() && timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("timeout must be 0 (none) or at least 1 s, was " + timeout.toMillis() + " ms");
            }
            this.timeout = timeout;
            return this;
        }

        /** Starts the first file at this sample offset (8000 samples a second). */
        public Builder seekOffset(long samples) {
            if (samples < 0) {
                throw new IllegalArgumentException("seekOffset must be at least 0 samples, was " + samples);
            }
            this.seekOffset = samples;
            return this;
        }

        /** The options; at least one file. */
        public PlayOptions build() {
            if (files.isEmpty()) {
                throw new IllegalArgumentException("files: at least one file to play");
            }
            return new PlayOptions(this);
        }
    }
}
