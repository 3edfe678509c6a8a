package org.switchboard.sip.stack.ua;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.stack.SipStackConfig;

/** Configuration of a {@link UserAgent}; build with {@link #builder()}. */
public final class UserAgentConfig {

    /** Default User-Agent and Server header value. */
    public static final String DEFAULT_PRODUCT = "Switchboard";
    /** Default time between 180 Ringing and 200 OK: none, the UAS answers at once. */
    public static final Duration DEFAULT_RING_TIME = Duration.ZERO;

    private final SipStackConfig stack;
    private final Duration ringTime;
    private final String product;
    private final Optional<String> answerSdp;
    private final Optional<SessionHandler> sessions;

    private UserAgentConfig(Builder b) {
        this.stack = b.stack;
        this.ringTime = b.ringTime;
        this.product = b.product;
        this.answerSdp = b.answerSdp;
        this.sessions = b.sessions;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The stack's transports and timers. */
    public SipStackConfig stack() {
        return stack;
    }

    /** How long the UAS rings (180) before it answers; zero answers at once without 180. */
    public Duration ringTime() {
        return ringTime;
    }

    /** The User-Agent and Server header value. */
    public String product() {
        return product;
    }

    /** The SDP the UAS answers with; empty for a generated PCMU/PCMA/telephone-event answer. */
    public Optional<String> answerSdp() {
        return answerSdp;
    }

    /** Who decides the SDP of calls (and learns of ACKs); empty: the UAS answers every offer with {@link #answerSdp}. */
    public Optional<SessionHandler> sessions() {
        return sessions;
    }

    /** Builds a {@link UserAgentConfig}. */
    public static final class Builder {
        private SipStackConfig stack = SipStackConfig.DEFAULTS;
        private Duration ringTime = DEFAULT_RING_TIME;
        private String product = DEFAULT_PRODUCT;
        private Optional<String> answerSdp = Optional.empty();
        private Optional<SessionHandler> sessions = Optional.empty();

        private Builder() {
        }

        /** The stack's transports and timers. */
        public Builder stack(SipStackConfig stack) {
            this.stack = Objects.requireNonNull(stack, "stack");
            return this;
        }

        /** How long to ring before answering (zero or more). */
        public Builder ringTime(Duration ringTime) {
            Objects.requireNonNull(ringTime, "ringTime");
            if (ringTime.isNegative()) {
                throw new IllegalArgumentException("ringTime must not be negative, was " + ringTime.toMillis() + " ms");
            }
            this.ringTime = ringTime;
            return this;
        }

        /** The User-Agent and Server header value. */
        public Builder product(String product) {
            this.product = Objects.requireNonNull(product, "product");
            return this;
        }

        /** The SDP to answer with. */
        public Builder answerSdp(String sdp) {
            this.answerSdp = Optional.of(sdp);
            return this;
        }

        /** Hands every offer and ACK of the UAS to {@code handler} (ringTime and answerSdp then do not apply). */
        public Builder sessions(SessionHandler handler) {
            this.sessions = Optional.of(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** The configuration. */
        public UserAgentConfig build() {
            return new UserAgentConfig(this);
        }
    }
}
