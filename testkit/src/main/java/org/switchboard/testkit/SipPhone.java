package org.switchboard.testkit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * A SIP phone for tests: registers with digest authentication, places and answers calls with G.711 (PCMU, PCMA)
 * and telephone-event, sends MESSAGE, OPTIONS and any other request, and records what it receives. It runs on the
 * project's SIP stack with its own thread for SIP events (never a network thread) and its own media clock.
 *
 * <pre>{@code
 * try (SipPhone alice = SipPhone.builder().user("alice").build();
 *      SipPhone bob = SipPhone.builder().user("bob").autoAnswer(true).build()) {
 *     Call call = alice.call(bob.uri());
 *     call.playTone(1000, Duration.ofSeconds(2));
 *     bob.awaitCall(Duration.ofSeconds(5)).ear().assertTone(1000, Duration.ofSeconds(5));
 *     call.hangUp();
 * }
 * }</pre>
 *
 * Blocking operations wait at most {@link Builder#timeout}; those that take a deadline wait that long. A failure
 * is an {@link AssertionError} with the SIP ladder.
 */
public interface SipPhone extends AutoCloseable {

    /** A builder with the defaults (UDP on the loopback address, a free port, user {@code phone}). */
    static Builder builder() {
        return new Builder();
    }

    /** Where this phone is reached: its Contact URI ({@code sip:user@address:port}, with {@code ;transport=tcp} on TCP). */
    String uri();

    /** Its address of record: {@code sip:user@domain}. */
    String aor();

    /** The port it listens on. */
    int port();

    /**
     * Registers {@link #uri()} for {@link #aor()} with the registrar at {@code registrar} (a SIP URI), answering
     * one digest challenge with the credentials; fails unless the registrar answers 2xx. Returns the 2xx.
     */
    SipResponse register(String registrar, Duration expires);

    /** Places a call to {@code target} (a SIP URI) and waits until it is answered. */
    Call call(String target);

    /** Places a call with extra headers (they replace the phone's own of the same name) and waits until it is answered. */
    Call call(String target, Map<String, String> headers);

    /** Sends the INVITE and returns at once (to CANCEL, or to expect a rejection with {@link Call#awaitFinalStatus}). */
    Call dial(String target, Map<String, String> headers);

    /** Waits for the next incoming call (ringing, or answered already with {@link Builder#autoAnswer}). */
    Call awaitCall(Duration within);

    /** Sends MESSAGE with a text/plain body and returns the final response. */
    SipResponse message(String target, String text);

    /** Sends OPTIONS and returns the final response. */
    SipResponse options(String target);

    /** Sends any request outside a call (empty content type: no body) and returns the final response. */
    SipResponse request(String method, String target, Map<String, String> headers, String contentType, String body);

    /**
     * Answers requests of {@code method} that come outside calls with {@code handler} from now on (without one, a
     * phone answers them 200).
     */
    void handle(String method, RequestHandler handler);

    /**
     * Waits for a request of {@code method} received since the phone started whose headers contain each given value
     * (header name to a substring of one of its values), and returns the first such.
     */
    SipRequest assertReceived(String method, Map<String, String> headers, Duration within);

    /** Every request received so far, in order (ACKs and CANCELs included). */
    List<SipRequest> received();

    /** The ladder of every SIP message this phone sent or received. */
    String ladder();

    /** Ends every call (BYE or CANCEL, without waiting) and closes the sockets and threads. */
    @Override
    void close();

    /** Builds a {@link SipPhone}; every setting has a default. */
    final class Builder {
        /** The user part of the phone's URIs, unless set. */
        public static final String DEFAULT_USER = "phone";
        /** How long a blocking operation waits for the peer, unless set. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        /** The most audio a call keeps (older audio is dropped), unless set. */
        public static final Duration DEFAULT_RECORD_LIMIT = Duration.ofSeconds(120);
        /** The first RTP port tried, unless set (ports in use are skipped). */
        public static final int DEFAULT_FIRST_RTP_PORT = 20000;
        /** The last RTP port tried, unless set. */
        public static final int DEFAULT_LAST_RTP_PORT = 29999;
        /** The User-Agent header value, unless set. */
        public static final String DEFAULT_PRODUCT = "switchboard-testkit";
        /** The SIP timer T1, unless set: RFC 3261's 500 ms. */
        public static final Duration DEFAULT_T1 = Duration.ofMillis(500);

        private SipTransport transport = SipTransport.UDP;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private String user = DEFAULT_USER;
        private Optional<String> domain = Optional.empty();
        private Optional<String> password = Optional.empty();
        private Optional<String> authUser = Optional.empty();
        private boolean autoAnswer;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration recordLimit = DEFAULT_RECORD_LIMIT;
        private int firstRtpPort = DEFAULT_FIRST_RTP_PORT;
        private int lastRtpPort = DEFAULT_LAST_RTP_PORT;
        private String product = DEFAULT_PRODUCT;
        private Duration t1 = DEFAULT_T1;

        Builder() {
        }

        /** UDP (default) or TCP. */
        public Builder transport(SipTransport value) {
            this.transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** The address to listen on (default: loopback). */
        public Builder address(InetAddress value) {
            this.address = Objects.requireNonNull(value, "address");
            return this;
        }

        /** The SIP port; 0 (default) binds a free one, chosen by the operating system as the socket is bound. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + value);
            }
            this.port = value;
            return this;
        }

        /** The user part of the phone's URIs. */
        public Builder user(String value) {
            this.user = Objects.requireNonNull(value, "user");
            return this;
        }

        /** The domain of the address of record (default: the phone's own address and port). */
        public Builder domain(String value) {
            this.domain = Optional.of(Objects.requireNonNull(value, "domain"));
            return this;
        }

        /** The digest credentials for challenges (REGISTER, INVITE, any request): the user name and password. */
        public Builder credentials(String username, String secret) {
            this.authUser = Optional.of(Objects.requireNonNull(username, "username"));
            this.password = Optional.of(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /** Whether incoming calls are answered at once (default: they ring until {@link Call#answer}). */
        public Builder autoAnswer(boolean value) {
            this.autoAnswer = value;
            return this;
        }

        /** How long blocking operations wait for the peer. */
        public Builder timeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + value.toMillis() + " ms");
            }
            this.timeout = value;
            return this;
        }

        /** The most audio a call keeps. */
        public Builder recordLimit(Duration value) {
            if (value.toMillis() < 1000) {
                throw new IllegalArgumentException("recordLimit must be at least 1000 ms, was " + value.toMillis() + " ms");
            }
            this.recordLimit = value;
            return this;
        }

        /** The RTP ports to try, even ones for RTP and the odd one above for RTCP; ports in use are skipped. */
        public Builder rtpPorts(int first, int last) {
            if (first < 1024 || last > 65534 || first + 1 > last) {
                throw new IllegalArgumentException("rtpPorts must be within 1024-65534 and hold a pair, was " + first + "-" + last);
            }
            this.firstRtpPort = first;
            this.lastRtpPort = last;
            return this;
        }

        /** The User-Agent header value. */
        public Builder product(String value) {
            this.product = Objects.requireNonNull(value, "product");
            return this;
        }

        /** The SIP timer T1 (default 500 ms; a shorter one makes UDP retransmissions and timeouts faster). */
        public Builder t1(Duration value) {
            if (value.toMillis() < 10) {
                throw new IllegalArgumentException("t1 must be at least 10 ms, was " + value.toMillis() + " ms");
            }
            this.t1 = value;
            return this;
        }

        /** Starts the phone: binds its SIP port (blocking until bound) and its threads. */
        public SipPhone build() {
            return Phone.start(new PhoneConfig(transport, address, port, user, domain, authUser, password, autoAnswer,
                    timeout, recordLimit, firstRtpPort, lastRtpPort, product, t1));
        }
    }
}
