package org.switchboard.drachtio.client;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.switchboard.connection.Backoff;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.drachtio.wire.DrachtioFrameEncoder;
import org.switchboard.metrics.Meters;

/** Configuration of a {@link DrachtioClient}; build with {@link #builder()}. Every default is a named constant. */
public final class DrachtioClientConfig {

    /** Default server host. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** drachtio-server's default admin port. */
    public static final int DEFAULT_PORT = 9022;
    /** The well-known secret of drachtio's examples, accepted only for loopback hosts. */
    public static final String EXAMPLE_SECRET = "cymru";
    /** Default deadline of a request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default deadline for connecting and authenticating. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default first reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(250);
    /** Default cap of the reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    /** Default keep-alive interval (drachtio-srf's pingInterval default). */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);
    /** Unanswered pings after which the connection counts as dead. */
    public static final int DEFAULT_MAX_MISSED_PONGS = 3;

    private final String host;
    private final int port;
    private final String secret;
    private final List<String> tags;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Backoff reconnectBackoff;
    private final boolean reconnect;
    private final int peerFrameLimit;
    private final Duration pingInterval;
    private final int maxMissedPongs;
    private final MeterRegistry meters;

    private final Optional<DrachtioTls> tls;

    private DrachtioClientConfig(Builder b) {
        tls = b.tls;
        pingInterval = b.pingInterval;
        maxMissedPongs = b.maxMissedPongs;
        host = b.host;
        port = b.port;
        secret = b.secret;
        tags = List.copyOf(b.tags);
        requestTimeout = b.requestTimeout;
        connectTimeout = b.connectTimeout;
        reconnectBackoff = b.reconnectBackoff;
        reconnect = b.reconnect;
        peerFrameLimit = b.peerFrameLimit;
        meters = b.meters;
    }

    /** A builder with the defaults (127.0.0.1:9022, secret cymru). */
    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    String secret() {
        return secret;
    }

    /** The tags presented at authentication. */
    public List<String> tags() {
        return tags;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The delays between reconnect attempts. */
    public Backoff reconnectBackoff() {
        return reconnectBackoff;
    }

    public boolean reconnect() {
        return reconnect;
    }

    /** The largest frame the server reads; 99,999 bytes for the C++ drachtio-server. */
    public int peerFrameLimit() {
        return peerFrameLimit;
    }

    /** How often to ping the server (zero: never); pings start only for servers of v0.8.2 and later. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** After this many unanswered pings in a row the connection is closed (and reconnected). */
    public int maxMissedPongs() {
        return maxMissedPongs;
    }

    /** TLS for the connection, for a server's TLS app port; empty for plain TCP. */
    public Optional<DrachtioTls> tls() {
        return tls;
    }

    /** Where the client's meters go (docs/operations.md); by default a registry that keeps nothing. */
    public MeterRegistry meters() {
        return meters;
    }

    @Override
    public String toString() {
        return (tls.isPresent() ? "drachtio+tls://" : "drachtio://") + host + ":" + port; // never the secret
    }

    /** Builds a {@link DrachtioClientConfig}; each setter checks its value. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String secret = EXAMPLE_SECRET;
        private List<String> tags = List.of();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Backoff reconnectBackoff = new Backoff(DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
        private boolean reconnect = true;
        private int peerFrameLimit = DrachtioFrameEncoder.REFERENCE_SERVER_LIMIT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private int maxMissedPongs = DEFAULT_MAX_MISSED_PONGS;
        private Optional<DrachtioTls> tls = Optional.empty();
        private MeterRegistry meters = Meters.none();

        private Builder() {
        }

        /** Connects over TLS (to drachtio-server's {@code --tls-port}) with these trust settings. */
        public Builder tls(DrachtioTls tls) {
            this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /** Counts in {@code registry}: command round trips, and the connection's state and reconnects. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Keep-alive: a {@code ping} this often, the connection dropped after {@code maxMissed} unanswered in a row. */
        public Builder ping(Duration interval, int maxMissed) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || maxMissed < 1) {
                throw new IllegalArgumentException("the ping interval must not be negative and maxMissed must be at least 1");
            }
            this.pingInterval = interval;
            this.maxMissedPongs = maxMissed;
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

        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Tags for HTTP tag routing (at most 20, each at most 32 characters of letters, digits and -_+@:). */
        public Builder tags(List<String> tags) {
            if (tags.size() > 20) {
                throw new IllegalArgumentException("at most 20 tags, were " + tags.size());
            }
            for (String t : tags) {
                if (!t.matches("[a-zA-Z0-9_+@:-]{1,32}")) {
                    throw new IllegalArgumentException("tag '" + t + "' must be 1 to 32 characters of letters, digits and -_+@:");
                }
            }
            this.tags = List.copyOf(tags);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
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

        /** The largest frame the server reads (bytes); raise it only for servers that read more, such as the embedded one. */
        public Builder peerFrameLimit(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("peerFrameLimit must be at least 1024 bytes, was " + bytes);
            }
            this.peerFrameLimit = bytes;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when the example secret is used for a host that is not loopback
         */
        public DrachtioClientConfig build() {
            if (secret.equals(EXAMPLE_SECRET) && !isLoopback(host)) {
                throw new IllegalArgumentException("the example secret is refused for the non-loopback host " + host
                        + "; configure the server's real secret");
            }
            return new DrachtioClientConfig(this);
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
