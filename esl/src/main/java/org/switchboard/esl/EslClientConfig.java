package org.switchboard.esl;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.switchboard.connection.Backoff;
import org.switchboard.connection.ClientTls;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.metrics.Meters;

/** Configuration of an {@link EslClient}; build with {@link #builder()}. Every default is a named constant. */
public final class EslClientConfig {

    /** Default switch host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default event socket port. */
    public static final int DEFAULT_PORT = 8021;
    /** FreeSWITCH's stock password, accepted only for loopback hosts. */
    public static final String STOCK_PASSWORD = "ClueCon";
    /** Default deadline of a command. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Default deadline of a bgapi job or an execute, from the command's reply to its completion event. */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(5);
    /** Default deadline for connecting and authenticating. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default first reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(250);
    /** Default cap of the reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    /** Default number of events queued for listeners before the slow-consumer policy applies. */
    public static final int DEFAULT_EVENT_QUEUE = 10_000;

    private final String host;
    private final int port;
    private final String password;
    private final String userauth;
    private final Duration commandTimeout;
    private final Duration jobTimeout;
    private final Duration connectTimeout;
    private final Backoff reconnectBackoff;
    private final boolean reconnect;
    private final int eventQueue;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final MeterRegistry meters;
    private final Optional<ClientTls> tls;

    private EslClientConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.password = b.password;
        this.userauth = b.userauth;
        this.commandTimeout = b.commandTimeout;
        this.jobTimeout = b.jobTimeout;
        this.connectTimeout = b.connectTimeout;
        this.reconnectBackoff = b.reconnectBackoff;
        this.reconnect = b.reconnect;
        this.eventQueue = b.eventQueue;
        this.slowConsumerPolicy = b.slowConsumerPolicy;
        this.meters = b.meters;
        this.tls = b.tls;
    }

    /** A builder with the defaults (127.0.0.1:8021, password ClueCon). */
    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    String password() {
        return password;
    }

    /**
     * The directory user ({@code user@domain}) the client authenticates as with {@code userauth}, or empty when it
     * authenticates with the switch's password ({@code auth}).
     */
    public Optional<String> userauth() {
        return Optional.ofNullable(userauth);
    }

    /** The authentication command, password included: {@code auth <password>} or {@code userauth <user>@<domain>:<password>}. */
    String authCommand() {
        return userauth == null ? "auth " + password : "userauth " + userauth + ":" + password;
    }

    /** The default deadline of a command. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The deadline of bgapi jobs and executes. */
    public Duration jobTimeout() {
        return jobTimeout;
    }

    /** The deadline for connecting and authenticating. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The delays between reconnect attempts. */
    public Backoff reconnectBackoff() {
        return reconnectBackoff;
    }

    /** Whether a lost connection is re-established (after a successful first connect). */
    public boolean reconnect() {
        return reconnect;
    }

    /** How many events may wait for listeners. */
    public int eventQueue() {
        return eventQueue;
    }

    /** What happens when that many are waiting. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /**
     * Where the sessions' meters go (docs/operations.md): an inbound client's, and the outbound sessions of a server
     * given this configuration; by default a registry that keeps nothing.
     */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * TLS on the connection, or empty for plain TCP. FreeSWITCH's event socket has no TLS itself: this is for a TLS
     * front such as stunnel before it (docs/esl.md).
     */
    public Optional<ClientTls> tls() {
        return tls;
    }

    @Override
    public String toString() {
        return (tls.isPresent() ? "esl+tls://" : "esl://") + host + ":" + port; // never the password
    }

    /** Builds an {@link EslClientConfig}; each setter checks its value. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String password = STOCK_PASSWORD;
        private String userauth;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Backoff reconnectBackoff = new Backoff(DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
        private boolean reconnect = true;
        private int eventQueue = DEFAULT_EVENT_QUEUE;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.PAUSE_READING;
        private MeterRegistry meters = Meters.none();
        private Optional<ClientTls> tls = Optional.empty();

        private Builder() {
        }

        /** Connects over TLS (to a TLS front before the switch's event socket), checking the certificate as told. */
        public Builder tls(ClientTls tls) {
            this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /** Counts in {@code registry}: command latency and outcomes, and an inbound client's connection. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Authenticates with the switch's event socket password ({@code auth}); undoes {@link #userauth}. */
        public Builder password(String password) {
            this.password = line(Objects.requireNonNull(password, "password"), "password");
            this.userauth = null;
            return this;
        }

        /**
         * Authenticates as a directory user instead of with the switch's password: FreeSWITCH's
         * {@code userauth user@domain:password}, checked against the user's {@code esl-password} parameter (the
         * user's {@code esl-allowed-events}, {@code esl-allowed-api} and {@code esl-allowed-log} then limit the
         * connection). Undoes {@link #password}.
         *
         * @throws IllegalArgumentException when the user or domain is empty or holds a character the switch splits
         *     the command on ({@code @}, {@code :}, white space), or the password holds a line break
         */
        public Builder userauth(String user, String domain, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(password, "password");
            for (String[] part : new String[][] {{user, "user"}, {domain, "domain"}}) {
                if (part[0].isEmpty() || part[0].chars().anyMatch(c -> c == '@' || c == ':' || Character.isWhitespace(c))) {
                    throw new IllegalArgumentException("userauth " + part[1] + " must be non-empty, without '@', ':' or white"
                            + " space, was '" + part[0] + "'");
                }
            }
            this.password = line(password, "userauth password");
            this.userauth = user + "@" + domain;
            return this;
        }

        private static String line(String value, String field) {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(field + " holds a line break"); // never the value: it is a secret
            }
            return value;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return this;
        }

        public Builder jobTimeout(Duration timeout) {
            this.jobTimeout = positive(timeout, "jobTimeout");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Reconnect delays: the first, doubled each attempt up to the cap. */
        public Builder reconnectDelays(Duration min, Duration max) {
            this.reconnectBackoff = new Backoff(min, max);
            return this;
        }

        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** How many events may wait for listeners (at least 1), and what happens beyond. */
        public Builder eventQueue(int size, SlowConsumerPolicy policy) {
            if (size < 1) {
                throw new IllegalArgumentException("eventQueue must be at least 1 event, was " + size);
            }
            this.eventQueue = size;
            this.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when the stock password is used for a host that is not loopback (with
         *     {@code auth}; a directory user's password is the directory's business)
         */
        public EslClientConfig build() {
            if (userauth == null && password.equals(STOCK_PASSWORD) && !isLoopback(host)) {
                throw new IllegalArgumentException("the stock password is refused for the non-loopback host " + host
                        + "; configure the switch's real password");
            }
            return new EslClientConfig(this);
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d.toMillis() + " ms");
            }
            return d;
        }
    }
}
