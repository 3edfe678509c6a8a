package org.switchboard.drachtio.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.switchboard.metrics.Meters;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transport.MessageTap;

/**
 * Configuration of a {@link DrachtioServer}; build with {@link #builder()}. Every default binds to loopback.
 */
public final class DrachtioServerConfig {

    /** drachtio-server's admin port. */
    public static final int DEFAULT_ADMIN_PORT = 9022;
    /** The well-known secret of drachtio's examples, accepted only on a loopback admin address. */
    public static final String EXAMPLE_SECRET = "cymru";
    /**
     * The version reported to apps. drachtio-srf parses {@code v<major>.<minor>.<patch>} and turns on its ping
     * timer from v0.8.2; the suffix says which implementation answered.
     */
    public static final String VERSION = "v0.9.10-switchboard";
    /** How long a request delivered to an app waits for its answer before the server answers 408. */
    public static final Duration DEFAULT_PARK_TIMEOUT = Duration.ofSeconds(64);
    /** RFC 4028's Min-SE. */
    public static final Duration DEFAULT_MIN_SESSION_EXPIRES = Duration.ofSeconds(90);

    private final InetSocketAddress adminAddress;
    private final String secret;
    private final SipStackConfig sip;
    private final Optional<String> externalIp;
    private final Duration parkTimeout;
    private final boolean cdrs;
    private final Set<String> preservedHeaderNames;
    private final Duration minSessionExpires;
    private final String defaultRefresher;
    private final List<RequestHandler> requestHandlers;
    private final SpammerRules spammers;
    private final Optional<RateLimit> rateLimit;
    private final Set<String> blacklist;
    private final boolean rejectRegisterWithNoRealm;
    private final int metricsPort;
    private final MeterRegistry meters;
    private final boolean alwaysSend180;
    private final Optional<String> optionsAutoRespond;
    private final Optional<SipUri> outboundProxy;
    private final Optional<String> localDomain;
    private final Optional<ScheduledExecutorService> timerScheduler;
    private final boolean plainAdmin;
    private final OptionalInt adminTlsPort;
    private final Optional<MessageTap> messageTap;

    private final Optional<LoadShedder> loadShedder;

    private DrachtioServerConfig(Builder b) {
        loadShedder = b.loadShedder;
        plainAdmin = b.plainAdmin;
        adminTlsPort = b.adminTlsPort;
        alwaysSend180 = b.alwaysSend180;
        optionsAutoRespond = b.optionsAutoRespond;
        outboundProxy = b.outboundProxy;
        localDomain = b.localDomain;
        timerScheduler = b.timerScheduler;
        messageTap = b.messageTap;
        metricsPort = b.metricsPort;
        meters = b.meters;
        spammers = b.spammers;
        rateLimit = b.rateLimit;
        blacklist = Set.copyOf(b.blacklist);
        rejectRegisterWithNoRealm = b.rejectRegisterWithNoRealm;
        requestHandlers = List.copyOf(b.requestHandlers);
        minSessionExpires = b.minSessionExpires;
        defaultRefresher = b.defaultRefresher;
        adminAddress = b.adminAddress;
        secret = b.secret;
        sip = b.sip;
        externalIp = b.externalIp;
        parkTimeout = b.parkTimeout;
        cdrs = b.cdrs;
        preservedHeaderNames = b.preservedHeaderNames;
    }

    /** A builder: admin 127.0.0.1:9022, secret cymru, SIP UDP+TCP on 127.0.0.1:5060, RFC 3261 timers. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where apps connect (over TCP when {@link #plainAdmin()}; the TLS port is on the same IP address). */
    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /** Whether apps may connect over plain TCP at {@link #adminAddress()} (off for a TLS-only server). */
    public boolean plainAdmin() {
        return plainAdmin;
    }

    /**
     * The port on the admin address's IP where apps connect over TLS (drachtio-server's {@code --tls-port}), served
     * with the SIP transports' TLS identity; empty for none.
     */
    public OptionalInt adminTlsPort() {
        return adminTlsPort;
    }

    String secret() {
        return secret;
    }

    /** The SIP transports and timers. */
    public SipStackConfig sip() {
        return sip;
    }

    /** The public address put in Contact and in the host list apps are told, when it differs from the bound one. */
    public Optional<String> externalIp() {
        return externalIp;
    }

    /** How long an app has to answer a request before the server answers it 408 itself. */
    public Duration parkTimeout() {
        return parkTimeout;
    }

    /** Whether CDR frames are sent to apps that route {@code cdr:*}. */
    public boolean cdrs() {
        return cdrs;
    }

    /** Custom header names (lower-case) sent with the app's case instead of being re-cased. */
    public Set<String> preservedHeaderNames() {
        return preservedHeaderNames;
    }

    /** drachtio's spammer rules: requests refused (603 or dropped) by a header value before any app sees them. */
    public SpammerRules spammers() {
        return spammers;
    }

    /** The per-source limit on new requests from the network, if any. */
    public Optional<RateLimit> rateLimit() {
        return rateLimit;
    }

    /** Source IP addresses whose messages are dropped without any response. */
    public Set<String> blacklist() {
        return blacklist;
    }

    /** Whether every new INVITE gets 180 Ringing from the server at once, before its app answers. */
    public boolean alwaysSend180() {
        return alwaysSend180;
    }

    /** An OPTIONS whose User-Agent equals this is answered 200 by the server itself. */
    public Optional<String> optionsAutoRespond() {
        return optionsAutoRespond;
    }

    /** The next hop of every request apps send and the server proxies, unless an app names its own. */
    public Optional<SipUri> outboundProxy() {
        return outboundProxy;
    }

    /** A domain served here: requests from apps to it are refused as loops (drachtio's DRACHTIO_LOCAL_DOMAIN). */
    public Optional<String> localDomain() {
        return localDomain;
    }

    /** The port of the Prometheus scrape endpoint on the admin address, or -1 for none. */
    public int metricsPort() {
        return metricsPort;
    }

    /**
     * Where the server's meters go (its SIP stack's, tagged {@code stack=drachtio}, and its own gauges): the registry
     * given to the builder, or one that keeps nothing. With a {@link #metricsPort} the server makes and serves its own.
     */
    public MeterRegistry meters() {
        return meters;
    }

    /** Whether a REGISTER whose Request-URI host is an IPv4 literal is refused 403. */
    public boolean rejectRegisterWithNoRealm() {
        return rejectRegisterWithNoRealm;
    }

    /** The request handlers that route new requests by asking a web service (outbound mode), in order. */
    public List<RequestHandler> requestHandlers() {
        return requestHandlers;
    }

    /** The smallest session interval accepted (RFC 4028 Min-SE; 90 s unless shortened for tests). */
    public Duration minSessionExpires() {
        return minSessionExpires;
    }

    /** Who refreshes when the INVITE asked for a timer without naming a refresher: none, uac or uas. */
    public String defaultRefresher() {
        return defaultRefresher;
    }

    /**
     * Where the server's own deadlines run (session timers, the 2xx sent again until its ACK, reliable provisionals,
     * the park timeout); empty: a deadline-scheduler thread of the server's, stopped when it closes. A given scheduler
     * stays the caller's. The SIP stack's transaction timers are configured apart, in {@link #sip()}.
     */
    public Optional<ScheduledExecutorService> timerScheduler() {
        return timerScheduler;
    }

    /**
     * What sees every SIP message the server reads and writes (for a per-call ladder in a process that embeds the
     * server); empty: none.
     */
    public Optional<MessageTap> messageTap() {
        return messageTap;
    }

    /**
     * What decides, while the node is overloaded, which new INVITEs are refused with 503 and Retry-After before any
     * app sees them (the shedder's owner gives it the backlogs to watch). None: every INVITE is offered
     * (drachtio-server has no such thing).
     */
    public Optional<LoadShedder> loadShedder() {
        return loadShedder;
    }

    @Override
    public String toString() {
        return "drachtio server admin=" + adminAddress + " sip=" + sip.transport().listenPoints(); // never the secret
    }

    /** Builds a {@link DrachtioServerConfig}; each setter checks its value. */
    public static final class Builder {
        private InetSocketAddress adminAddress = new InetSocketAddress("127.0.0.1", DEFAULT_ADMIN_PORT);
        private String secret = EXAMPLE_SECRET;
        private SipStackConfig sip = SipStackConfig.DEFAULTS;
        private Optional<String> externalIp = Optional.empty();
        private Duration parkTimeout = DEFAULT_PARK_TIMEOUT;
        private boolean cdrs;
        private Set<String> preservedHeaderNames = Set.of();
        private Duration minSessionExpires = DEFAULT_MIN_SESSION_EXPIRES;
        private String defaultRefresher = "none";
        private final List<RequestHandler> requestHandlers = new ArrayList<>();
        private SpammerRules spammers = SpammerRules.NONE;
        private Optional<RateLimit> rateLimit = Optional.empty();
        private final Set<String> blacklist = new HashSet<>();
        private boolean rejectRegisterWithNoRealm;
        private int metricsPort = -1;
        private MeterRegistry meters;
        private boolean alwaysSend180;
        private Optional<String> optionsAutoRespond = Optional.empty();
        private Optional<SipUri> outboundProxy = Optional.empty();
        private Optional<String> localDomain = Optional.empty();
        private Optional<ScheduledExecutorService> timerScheduler = Optional.empty();
        private boolean plainAdmin = true;
        private OptionalInt adminTlsPort = OptionalInt.empty();
        private Optional<MessageTap> messageTap = Optional.empty();
        private Optional<LoadShedder> loadShedder = Optional.empty();

        /** Sheds new INVITEs while {@code shedder} says the node is overloaded (see {@link #loadShedder()}). */
        public Builder loadShedder(LoadShedder shedder) {
            this.loadShedder = Optional.of(Objects.requireNonNull(shedder, "shedder"));
            return this;
        }

        private Builder() {
        }

        /**
         * Also listens for apps over TLS on {@code port} of the admin address's IP (0 picks a free port), with the
         * TLS identity of the SIP transports ({@code TransportConfig.tls}), as drachtio-server's {@code --tls-port}.
         */
        public Builder adminTlsPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("adminTlsPort must be 0..65535, was " + port);
            }
            this.adminTlsPort = OptionalInt.of(port);
            return this;
        }

        /** Whether apps may connect over plain TCP at the admin address (default true; false needs a TLS port). */
        public Builder plainAdmin(boolean plain) {
            this.plainAdmin = plain;
            return this;
        }

        /** Shows {@code tap} every SIP message read and written, on the I/O threads (see {@link MessageTap}). */
        public Builder messageTap(MessageTap tap) {
            this.messageTap = Optional.of(Objects.requireNonNull(tap, "tap"));
            return this;
        }

        /** Runs the server's own deadlines on {@code scheduler}, which stays the caller's (a virtual clock in tests). */
        public Builder timerScheduler(ScheduledExecutorService scheduler) {
            this.timerScheduler = Optional.of(Objects.requireNonNull(scheduler, "scheduler"));
            return this;
        }

        /** Sends 180 Ringing for every new INVITE at once (drachtio's {@code --always-send-180}). */
        public Builder alwaysSend180(boolean send) {
            this.alwaysSend180 = send;
            return this;
        }

        /** Answers OPTIONS whose User-Agent equals {@code userAgent} with 200, without an app. */
        public Builder optionsAutoRespond(String userAgent) {
            this.optionsAutoRespond = Optional.of(userAgent).filter(u -> !u.isBlank());
            return this;
        }

        /** The default next hop for app requests and proxied requests (drachtio's {@code <outbound-proxy>}). */
        public Builder outboundProxy(String sipUri) {
            Uri uri = Uri.parse(sipUri);
            if (!(uri instanceof SipUri sip)) {
                throw new IllegalArgumentException("the outbound proxy must be a sip: URI, was " + sipUri);
            }
            this.outboundProxy = Optional.of(sip);
            return this;
        }

        /** Treats requests to this domain (or its subdomains) as loops. */
        public Builder localDomain(String domain) {
            this.localDomain = Optional.of(domain.toLowerCase(java.util.Locale.ROOT)).filter(d -> !d.isBlank());
            return this;
        }

        /** Serves Prometheus metrics at {@code http://<admin address>:<port>/metrics} (0 picks a free port). */
        public Builder metricsPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("metricsPort must be 0..65535, was " + port);
            }
            this.metricsPort = port;
            return this;
        }

        /**
         * Counts in {@code registry} (a process that serves its own metrics, as the container does); not with a
         * {@link #metricsPort}, whose endpoint serves the server's own registry.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * A spammer rule (drachtio's {@code <spammers>}): a request whose User-Agent contains one of {@code values},
         * or whose To/From user part does, is refused as {@link SpammerRules} says (603 Decline unless
         * {@link #spammers(SpammerRules)} set other modes) and never reaches an app.
         */
        public Builder spammers(String header, List<String> values) {
            spammers = spammers.with(header, values);
            return this;
        }

        /** Replaces the spammer rules (as read from drachtio's configuration file by {@link SpammerRules#fromConfigFile}). */
        public Builder spammers(SpammerRules rules) {
            spammers = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Limits how fast each source address may send new requests (see {@link RateLimit}). */
        public Builder rateLimit(RateLimit limit) {
            rateLimit = Optional.of(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Drops every message from these source IPs without a response (drachtio's Redis blacklist, static here). */
        public Builder blacklist(Set<String> ips) {
            blacklist.addAll(ips);
            return this;
        }

        /** Refuses (403) a REGISTER whose Request-URI host is an IPv4 literal. */
        public Builder rejectRegisterWithNoRealm(boolean reject) {
            this.rejectRegisterWithNoRealm = reject;
            return this;
        }

        /** Adds a request handler; the first that handles a method decides for it. */
        public Builder requestHandler(RequestHandler handler) {
            requestHandlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** The smallest session interval accepted; shorter re-INVITEs get 422 (default 90 s). */
        public Builder minSessionExpires(Duration min) {
            Objects.requireNonNull(min, "min");
            if (min.toSeconds() < 1) {
                throw new IllegalArgumentException("minSessionExpires must be at least 1 s, was " + min.toMillis() + " ms");
            }
            this.minSessionExpires = min;
            return this;
        }

        /** Who refreshes when the INVITE asks for a timer but names no refresher: none (default), uac or uas. */
        public Builder defaultRefresher(String refresher) {
            if (!Set.of("none", "uac", "uas").contains(refresher)) {
                throw new IllegalArgumentException("defaultRefresher must be none, uac or uas, was " + refresher);
            }
            this.defaultRefresher = refresher;
            return this;
        }

        /** The admin listener (port 0 picks a free port). */
        public Builder adminAddress(InetSocketAddress address) {
            this.adminAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The shared secret apps present in {@code authenticate}. */
        public Builder secret(String secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isEmpty() || secret.indexOf('|') >= 0 || secret.indexOf('\r') >= 0 || secret.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the secret must be non-empty and hold no '|', CR or LF");
            }
            this.secret = secret;
            return this;
        }

        /** SIP transports and timers. */
        public Builder sip(SipStackConfig sip) {
            this.sip = Objects.requireNonNull(sip, "sip");
            return this;
        }

        /** The public IP advertised in Contact headers and to apps. */
        public Builder externalIp(String ip) {
            this.externalIp = Optional.of(ip).filter(s -> !s.isBlank());
            return this;
        }

        /** How long an app has to answer a request (default 64 s, as drachtio-server parks them). */
        public Builder parkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("parkTimeout must be positive, was " + timeout.toMillis() + " ms");
            }
            this.parkTimeout = timeout;
            return this;
        }

        /** Turns CDR frames on. */
        public Builder cdrs(boolean cdrs) {
            this.cdrs = cdrs;
            return this;
        }

        /** Custom header names whose case is kept (drachtio's {@code DRACHTIO_PRESERVE_HEADER_NAMES}). */
        public Builder preservedHeaderNames(Set<String> names) {
            this.preservedHeaderNames = names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when the example secret is used on an admin address that is not loopback, or
         *     the TLS app port lacks a TLS identity
         */
        public DrachtioServerConfig build() {
            if (secret.equals(EXAMPLE_SECRET) && !adminAddress.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("the example secret is refused on the non-loopback admin address "
                        + adminAddress.getAddress().getHostAddress() + "; set a secret");
            }
            if (!plainAdmin && adminTlsPort.isEmpty()) {
                throw new IllegalArgumentException("with plainAdmin off, apps need adminTlsPort to connect at all");
            }
            if (adminTlsPort.isPresent() && !sip.transport().tls().map(t -> t.hasIdentity()).orElse(false)) {
                throw new IllegalArgumentException("adminTlsPort needs a TLS certificate and key: the SIP transports'"
                        + " TLS identity (sip-server --key-file and --cert-file) serves the app port too");
            }
            if (meters != null && metricsPort >= 0) {
                throw new IllegalArgumentException("metricsPort serves the server's own registry: give either metricsPort "
                        + "or meterRegistry, not both");
            }
            if (meters == null) {
                meters = Meters.none();
            }
            return new DrachtioServerConfig(this);
        }
    }
}
