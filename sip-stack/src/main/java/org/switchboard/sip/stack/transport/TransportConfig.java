package org.switchboard.sip.stack.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.stack.codec.FramingLimits;

/** Configuration of the transport layer; build with {@link #builder()}. Every default is a named constant. */
public final class TransportConfig {

    /** Default listen address: loopback. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default SIP port. */
    public static final int DEFAULT_PORT = 5060;
    /** Default path MTU; requests within 200 bytes of it go over TCP (RFC 3261 section 18.1.1). */
    public static final int DEFAULT_MTU = 1500;
    /** Default time after which an unused TCP connection is closed. */
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default deadline for opening a TCP connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of I/O threads: 0 means one per core. */
    public static final int DEFAULT_IO_THREADS = 0;
    /**
     * Default receive buffer of UDP sockets, 4 MiB: a burst of some thousands of requests waits in the kernel
     * rather than being dropped (BYEs among it). Linux caps it at net.core.rmem_max.
     */
    public static final int DEFAULT_UDP_RECEIVE_BUFFER = 4 << 20;
    /** Default HTTP path of WebSocket listen points. */
    public static final String DEFAULT_WEBSOCKET_PATH = "/";
    /** Default interval of WebSocket pings on a connection that has been quiet that long. */
    public static final Duration DEFAULT_WEBSOCKET_PING_INTERVAL = Duration.ofSeconds(30);

    private final List<ListenPoint> listenPoints;
    private final FramingLimits limits;
    private final int mtu;
    private final Duration tcpIdleTimeout;
    private final Duration connectTimeout;
    private final int ioThreads;
    private final boolean symmetricResponses;
    private final Optional<TlsConfig> tls;
    private final String webSocketPath;
    private final Duration webSocketPingInterval;
    private final int udpReceiveBuffer;

    private TransportConfig(Builder b) {
        this.udpReceiveBuffer = b.udpReceiveBuffer;
        this.listenPoints = List.copyOf(b.listenPoints.isEmpty()
                ? List.of(ListenPoint.of(Transport.UDP, DEFAULT_HOST, DEFAULT_PORT),
                          ListenPoint.of(Transport.TCP, DEFAULT_HOST, DEFAULT_PORT))
                : b.listenPoints);
        this.limits = b.limits;
        this.mtu = b.mtu;
        this.tcpIdleTimeout = b.tcpIdleTimeout;
        this.connectTimeout = b.connectTimeout;
        this.ioThreads = b.ioThreads;
        this.symmetricResponses = b.symmetricResponses;
        this.tls = Optional.ofNullable(b.tls);
        this.webSocketPath = b.webSocketPath;
        this.webSocketPingInterval = b.webSocketPingInterval;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where to listen; by default UDP and TCP on 127.0.0.1:5060. */
    public List<ListenPoint> listenPoints() {
        return listenPoints;
    }

    /** Message and header size limits. */
    public FramingLimits limits() {
        return limits;
    }

    /** The path MTU in bytes. */
    public int mtu() {
        return mtu;
    }

    /** How long an unused TCP connection stays open. */
    public Duration tcpIdleTimeout() {
        return tcpIdleTimeout;
    }

    /** The deadline for opening a TCP connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The number of I/O threads; 0 for one per core. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Whether UDP responses go to the address and port each request came from, as if every request
     * carried {@code rport} (RFC 3581). Off by default, as RFC 3261 section 18.2.2 says.
     */
    public boolean symmetricResponses() {
        return symmetricResponses;
    }

    /** The TLS settings of TLS and WSS listen points and outbound connections; needed for those transports. */
    public Optional<TlsConfig> tls() {
        return tls;
    }

    /** The HTTP path WebSocket listen points accept upgrades on, and outbound WebSocket connections ask for. */
    public String webSocketPath() {
        return webSocketPath;
    }

    /** How long a WebSocket connection may be quiet before a ping goes out to keep it (and its NAT binding) up. */
    public Duration webSocketPingInterval() {
        return webSocketPingInterval;
    }

    /** The receive buffer (SO_RCVBUF) UDP sockets ask for, in bytes. */
    public int udpReceiveBuffer() {
        return udpReceiveBuffer;
    }

    /** Builds a {@link TransportConfig}; each setter checks its value. */
    public static final class Builder {
        private final List<ListenPoint> listenPoints = new ArrayList<>();
        private FramingLimits limits = FramingLimits.DEFAULTS;
        private int mtu = DEFAULT_MTU;
        private Duration tcpIdleTimeout = DEFAULT_TCP_IDLE_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int ioThreads = DEFAULT_IO_THREADS;
        private boolean symmetricResponses;
        private TlsConfig tls;
        private String webSocketPath = DEFAULT_WEBSOCKET_PATH;
        private Duration webSocketPingInterval = DEFAULT_WEBSOCKET_PING_INTERVAL;
        private int udpReceiveBuffer = DEFAULT_UDP_RECEIVE_BUFFER;

        private Builder() {
        }

        /** The receive buffer UDP sockets ask for, in bytes (at least 64 KiB). */
        public Builder udpReceiveBuffer(int bytes) {
            if (bytes < 1 << 16) {
                throw new IllegalArgumentException("udpReceiveBuffer must be at least 65536 bytes, was " + bytes);
            }
            this.udpReceiveBuffer = bytes;
            return this;
        }

        /** Adds a listen point (the first one added replaces the defaults). */
        public Builder listen(Transport transport, String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listen port must be 0..65535, was " + port);
            }
            listenPoints.add(ListenPoint.of(transport, host, port));
            return this;
        }

        /** Adds a listen point. */
        public Builder listen(ListenPoint point) {
            listenPoints.add(Objects.requireNonNull(point, "point"));
            return this;
        }

        /** Message and header size limits. */
        public Builder limits(FramingLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The path MTU in bytes (at least 576). */
        public Builder mtu(int mtu) {
            if (mtu < 576) {
                throw new IllegalArgumentException("mtu must be at least 576 bytes, was " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        /** How long an unused TCP connection stays open (positive). */
        public Builder tcpIdleTimeout(Duration timeout) {
            this.tcpIdleTimeout = positive(timeout, "tcpIdleTimeout");
            return this;
        }

        /** The deadline for opening a TCP connection (positive). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The number of I/O threads; 0 for one per core. */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads must be 0 or more, was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** Answer UDP requests where they came from, as if they all asked for rport. */
        public Builder symmetricResponses(boolean symmetric) {
            this.symmetricResponses = symmetric;
            return this;
        }

        /** The TLS settings; TLS and WSS listen points need one with a local identity. */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** The HTTP path of WebSocket listen points (starting with '/'). */
        public Builder webSocketPath(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("webSocketPath must start with '/', was '" + path + "'");
            }
            this.webSocketPath = path;
            return this;
        }

        /** How long a WebSocket connection may be quiet before a ping (positive). */
        public Builder webSocketPingInterval(Duration interval) {
            this.webSocketPingInterval = positive(interval, "webSocketPingInterval");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when a TLS or WSS listen point has no TLS identity to present
         */
        public TransportConfig build() {
            for (ListenPoint p : listenPoints) {
                if (p.transport().isSecure() && (tls == null || !tls.hasIdentity())) {
                    throw new IllegalArgumentException("listen point " + p + " needs a TLS certificate and key (tls)");
                }
            }
            return new TransportConfig(this);
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
            return d;
        }
    }
}
