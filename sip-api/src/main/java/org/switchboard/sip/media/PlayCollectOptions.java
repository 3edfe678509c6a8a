package org.switchboard.sip.media;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Endpoint#playCollect} plays and how it collects digits (FreeSWITCH's {@code play_and_get_digits}).
 * Built with {@link #builder(String)}; the defaults are drachtio-fsmrf's.
 */
public final class PlayCollectOptions {

    /** Default least digits: 0 (a terminator alone succeeds). */
    public static final int DEFAULT_MIN_DIGITS = 0;
    /** Default most digits. */
    public static final int DEFAULT_MAX_DIGITS = 128;
    /** Default attempts. */
    public static final int DEFAULT_TRIES = 1;
    /** Default wait for the first digit after the prompt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Default wait between digits. */
    public static final Duration DEFAULT_DIGIT_TIMEOUT = Duration.ofSeconds(8);
    /** Default terminators. */
    public static final String DEFAULT_TERMINATORS = "#";
    /** Default file played after invalid input. */
    public static final String DEFAULT_INVALID_FILE = "silence_stream://250";
    /** Default pattern the digits must match. */
    public static final String DEFAULT_PATTERN = "\\d+";
    /** The channel variable the digits land in. */
    public static final String DEFAULT_VARIABLE = "myDigitBuffer";

    private final String file;
    private final int minDigits;
    private final int maxDigits;
    private final int tries;
    private final Duration timeout;
    private final Duration digitTimeout;
    private final String terminators;
    private final String invalidFile;
    private final String pattern;
    private final String variable;

    private PlayCollectOptions(Builder b) {
        file = b.file;
        minDigits = b.minDigits;
        maxDigits = b.maxDigits;
        tries = b.tries;
        timeout = b.timeout;
        digitTimeout = b.digitTimeout;
        terminators = b.terminators;
        invalidFile = b.invalidFile;
        pattern = b.pattern;
        variable = b.variable;
    }

    /** A builder for the prompt {@code file}. */
    public static Builder builder(String file) {
        return new Builder(file);
    }

    /** The prompt. */
    public String file() {
        return file;
    }

    /** The least digits that count as input. */
    public int minDigits() {
        return minDigits;
    }

    /** The most digits collected. */
    public int maxDigits() {
        return maxDigits;
    }

    /** How many times the prompt is played when the input is missing or invalid. */
    public int tries() {
        return tries;
    }

    /** How long to wait for input after the prompt. */
    public Duration timeout() {
        return timeout;
    }

    /** How long to wait between digits. */
    public Duration digitTimeout() {
        return digitTimeout;
    }

    /** The digits that end the input (e.g. {@code #}); {@code none} for none. */
    public String terminators() {
        return terminators;
    }

    /** The file played after invalid input. */
    public String invalidFile() {
        return invalidFile;
    }

    /** The regular expression the digits must match. */
    public String pattern() {
        return pattern;
    }

    /** The channel variable the digits are stored in. */
    public String variable() {
        return variable;
    }

    /** Builds {@link PlayCollectOptions}. */
    public static final class Builder {
        private final String file;
        private int minDigits = DEFAULT_MIN_DIGITS;
        private int maxDigits = DEFAULT_MAX_DIGITS;
        private int tries = DEFAULT_TRIES;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration digitTimeout = DEFAULT_DIGIT_TIMEOUT;
        private String terminators = DEFAULT_TERMINATORS;
        private String invalidFile = DEFAULT_INVALID_FILE;
        private String pattern = DEFAULT_PATTERN;
        private String variable = DEFAULT_VARIABLE;

        private Builder(String file) {
            this.file = token("file", file);
        }

        /** The least and most digits (0 &lt;= min &lt;= max, max at least 1). */
        public Builder digits(int min, int max) {
            if (min < 0 || max < 1 || min > max) {
                throw new IllegalArgumentException("digits: need 0 <= min <= max and max >= 1, was min " + min + ", max " + max);
            }
            minDigits = min;
            maxDigits = max;
            return this;
        }

        /** Attempts, at least 1. */
        public Builder tries(int tries) {
            if (tries < 1) {
                throw new IllegalArgumentException("tries must be at least 1, was " + tries);
            }
            this.tries = tries;
            return this;
        }

        /** The wait for input after the prompt, at least 1 ms. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive("timeout", timeout);
            return this;
        }

        /** The wait between digits, at least 1 ms. */
        public Builder digitTimeout(Duration timeout) {
            this.digitTimeout = positive("digitTimeout", timeout);
            return this;
        }

        /** The terminators: DTMF characters, or {@code none}. */
        public Builder terminators(String terminators) {
            String t = token("terminators", terminators);
            if (!t.equals("none") && !t.matches("[0-9*#A-Da-d]+")) {
                throw new IllegalArgumentException("terminators must be DTMF digits or 'none', was '" + t + "'");
            }
            this.terminators = t;
            return this;
        }

        /** The file played after invalid input. */
        public Builder invalidFile(String file) {
            this.invalidFile = token("invalidFile", file);
            return this;
        }

        /** The pattern the digits must match. */
        public Builder pattern(String regex) {
            this.pattern = token("pattern", regex);
            return this;
        }

        /** The channel variable for the digits (letters, digits, underscore). */
        public Builder variable(String name) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("variable must be a channel variable name, was '" + name + "'");
            }
            this.variable = name;
            return this;
        }

        /** The options. */
        public PlayCollectOptions build() {
            return new PlayCollectOptions(this);
        }

        // the switch splits play_and_get_digits' argument on spaces
        private static String token(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + " must be non-empty without white space, was '" + value + "'");
            }
            return value;
        }

        private static Duration positive(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException(field + " must be at least 1 ms, was " + d.toMillis() + " ms");
            }
            return d;
        }
    }
}
