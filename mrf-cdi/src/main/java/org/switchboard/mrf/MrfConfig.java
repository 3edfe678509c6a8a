package org.switchboard.mrf;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.connection.ClientTls;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.metrics.Meters;

/**
 * How {@link Mrf#connect} reaches a media server: its event socket (address and password), where this application
 * listens for the server's per-channel connections, the SIP profile to look for, and the deadlines. Built with
 * {@link #builder(InetSocketAddress)}.
 */
public final class MrfConfig {

    /** The SIP profile whose address {@code sofia status} must list. */
    public static final String DEFAULT_PROFILE = "drachtio_mrf";
    /** How long every endpoint command may take, from sending to completion. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** How long the server's outbound connection may take once the call is answered (fsmrf: 4 s). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(4);

    private final InetSocketAddress eventSocket;
    private final String password;
    private final InetSocketAddress listen;
    private final Optional<InetSocketAddress> advertised;
    private final String profile;
    private final Duration commandTimeout;
    private final Duration connectionTimeout;
    private final List<String> customEvents;
    private final MeterRegistry meters;
    private final Optional<ClientTls> tls;

    private MrfConfig(Builder b) {
        eventSocket = b.eventSocket;
        password = b.password;
        listen = b.listen;
        advertised = b.advertised;
        profile = b.profile;
        commandTimeout = b.commandTimeout;
        connectionTimeout = b.connectionTimeout;
        customEvents = List.copyOf(b.customEvents);
        meters = b.meters;
        tls = b.tls;
    }

    /** A builder for the media server whose inbound event socket is at {@code eventSocket}. */
    public static Builder builder(InetSocketAddress eventSocket) {
        return new Builder(eventSocket);
    }

    /** The media server's inbound event socket. */
    public InetSocketAddress eventSocket() {
        return eventSocket;
    }

    /** Where the server's outbound connections are accepted (port 0: any free port). */
    public InetSocketAddress listen() {
        return listen;
    }

    /** The address put into {@code X-esl-outbound}; empty: the bound listen address. */
    public Optional<InetSocketAddress> advertised() {
        return advertised;
    }

    /** The SIP profile the server must run. */
    public String profile() {
        return profile;
    }

    /** Every endpoint command's deadline. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The outbound connection's deadline after the call is answered. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** TLS on the inbound event socket connection (to a TLS front before the server), or empty for plain TCP. */
    public Optional<ClientTls> tls() {
        return tls;
    }

    /** The inbound client's configuration (the password stays inside). */
    EslClientConfig inbound() {
        EslClientConfig.Builder b = EslClientConfig.builder().host(eventSocket.getHostString()).port(eventSocket.getPort())
                .password(password).commandTimeout(commandTimeout).jobTimeout(commandTimeout).meterRegistry(meters);
        tls.ifPresent(b::tls);
        return b.build();
    }

    /**
     * The outbound sessions' limits: the event socket's own deadlines a little after the endpoint's, so that the
     * endpoint's deadline, which covers every step of an operation, is the one that fires.
     */
    EslClientConfig outbound() {
        Duration slack = commandTimeout.plusSeconds(5);
        return EslClientConfig.builder().commandTimeout(slack).jobTimeout(slack).meterRegistry(meters).build();
    }

    /** The CUSTOM event subclasses every endpoint subscribes to from the start (drachtio-fsmrf's customEvents). */
    public List<String> customEvents() {
        return customEvents;
    }

    /** Checks {@code subclass} is one word of an event subscription. */
    static String subclass(String subclass) {
        if (subclass == null || !subclass.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException("a custom event subclass is one word, was '" + subclass + "'");
        }
        return subclass;
    }

    @Override
    public String toString() {
        return "media server at " + eventSocket.getHostString() + ":" + eventSocket.getPort();
    }

    /** Builds {@link MrfConfig}. */
    public static final class Builder {
        private final InetSocketAddress eventSocket;
        private String password = EslClientConfig.STOCK_PASSWORD;
        private InetSocketAddress listen;
        private Optional<InetSocketAddress> advertised = Optional.empty();
        private String profile = DEFAULT_PROFILE;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private final List<String> customEvents = new ArrayList<>();
        private MeterRegistry meters = Meters.none();
        private Optional<ClientTls> tls = Optional.empty();

        private Builder(InetSocketAddress eventSocket) {
            this.eventSocket = Objects.requireNonNull(eventSocket, "eventSocket");
            this.listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        }

        /** The event socket password (the stock one is refused for a server that is not on this host). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Counts the event socket's meters in {@code registry}: the inbound connection's state and reconnects (tagged
         * with the server's address), and every command's latency, those of the channels' connections included.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Reaches the inbound event socket over TLS, through a TLS front such as stunnel (docs/esl.md); the server's
         * outbound connections to this application are not changed.
         */
        public Builder tls(ClientTls tls) {
            this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /** Where to accept the server's connections (default: loopback, any free port). */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "listen");
            return this;
        }

        /** The address the server connects to, when it is not the listen address (NAT, containers). */
        public Builder advertised(InetSocketAddress address) {
            this.advertised = Optional.of(address);
            return this;
        }

        /** The SIP profile to use. */
        public Builder profile(String profile) {
            if (profile == null || !profile.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("profile must be a sofia profile name, was '" + profile + "'");
            }
            this.profile = profile;
            return this;
        }

        /** Every endpoint command's deadline, at least 1 ms. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("commandTimeout", timeout);
            return this;
        }

        /** The outbound connection's deadline after the call is answered, at least 1 ms. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive("connectionTimeout", timeout);
            return this;
        }

        /**
         * CUSTOM event subclasses (a module's events, e.g. {@code mod_x::result}) every endpoint subscribes to from
         * the start, for its {@code onEvent} and custom event listeners.
         */
        public Builder customEvents(String... subclasses) {
            for (String s : subclasses) {
                customEvents.add(subclass(s));
            }
            return this;
        }

        /** The configuration; checks the password against the server's address. */
        public MrfConfig build() {
            MrfConfig config = new MrfConfig(this);
            config.inbound();
            return config;
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
