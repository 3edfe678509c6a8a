package org.switchboard.sip.media;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Endpoint#forkAudio} streams, and where: the WebSocket server's URL ({@code ws://} or {@code wss://}),
 * how the two directions are put into the stream, the sample rate, the fork's name on the channel, the text sent
 * first, and whether audio files the server sends back are played to the caller. Built with {@link #builder(String)}.
 *
 * <p>The audio is 16-bit little-endian linear PCM in binary frames of 20 ms, as FreeSWITCH's mod_audio_fork sends it
 * (WebSocket subprotocol {@code audio.drachtio.org}).
 */
public final class AudioForkOptions {

    /** How the two directions of the call are put into the stream. */
    public enum Mix {
        /** Only what the far end (the caller) sends. */
        MONO,
        /** What the far end sends and what the channel sends to it, summed into one channel. */
        MIXED,
        /** Two interleaved channels: the far end left, what the channel sends right. */
        STEREO
    }

    /** The fork's name when none is given (mod_audio_fork's). */
    public static final String DEFAULT_NAME = "audio_fork";

    private final URI url;
    private final Mix mix;
    private final int sampleRate;
    private final String name;
    private final String metadata;
    private final boolean playReturnedAudio;

    private AudioForkOptions(Builder b) {
        this.url = b.url;
        this.mix = b.mix;
        this.sampleRate = b.sampleRate;
        this.name = b.name;
        this.metadata = b.metadata;
        this.playReturnedAudio = b.playReturnedAudio;
    }

    /** A builder for a fork to {@code url} ({@code ws://host[:port]/path} or {@code wss://...}). */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The WebSocket server. */
    public URI url() {
        return url;
    }

    /** How the directions are mixed; {@link Mix#MONO} unless set. */
    public Mix mix() {
        return mix;
    }

    /** The sample rate of the stream in Hz: 8000 unless set; a multiple of 8000 up to 64000. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The fork's name on the channel ({@link #DEFAULT_NAME} unless set). */
    public String name() {
        return name;
    }

    /** The text sent in the first frame once connected (typically JSON), if any. */
    public Optional<String> metadata() {
        return Optional.ofNullable(metadata);
    }

    /** Whether the audio of the server's {@code playAudio} messages is played to the far end (true unless set). */
    public boolean playReturnedAudio() {
        return playReturnedAudio;
    }

    /** Builds {@link AudioForkOptions}. */
    public static final class Builder {
        private final URI url;
        private Mix mix = Mix.MONO;
        private int sampleRate = 8000;
        private String name = DEFAULT_NAME;
        private String metadata;
        private boolean playReturnedAudio = true;

        private Builder(String url) {
            URI u = URI.create(Objects.requireNonNull(url, "url"));
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) {
                throw new IllegalArgumentException("not a ws:// or wss:// URL: " + url);
            }
            if (url.contains("|") || url.contains("'") || url.contains(" ")) {
                throw new IllegalArgumentException("the URL may not contain '|', ''' or spaces: " + url);
            }
            this.url = u;
        }

        /** How the directions are mixed. */
        public Builder mix(Mix value) {
            this.mix = Objects.requireNonNull(value, "mix");
            return this;
        }

        /** The stream's sample rate: 8000, 16000, 24000, 32000, 48000 or 64000 Hz. */
        public Builder sampleRate(int hz) {
            if (hz < 8000 || hz > 64000 || hz % 8000 != 0) {
                throw new IllegalArgumentException("the sample rate must be a multiple of 8000 up to 64000: " + hz);
            }
            this.sampleRate = hz;
            return this;
        }

        /** The fork's name (letters, digits, '_', '-', '.'), to run several forks on one channel. */
        public Builder name(String value) {
            if (!value.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("a fork's name is letters, digits, '_', '-' or '.': " + value);
            }
            this.name = value;
            return this;
        }

        /** The text sent first; it may not contain a single quote or {@code |} (the command's quoting). */
        public Builder metadata(String text) {
            Objects.requireNonNull(text, "metadata");
            if (text.contains("'") || text.contains("|")) {
                throw new IllegalArgumentException("metadata may not contain ''' or '|'");
            }
            this.metadata = text;
            return this;
        }

        /** Whether {@code playAudio} messages are played to the far end. */
        public Builder playReturnedAudio(boolean on) {
            this.playReturnedAudio = on;
            return this;
        }

        /** The options. */
        public AudioForkOptions build() {
            return new AudioForkOptions(this);
        }
    }
}
