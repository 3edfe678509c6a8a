package org.switchboard.media.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.Codecs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.media.esl.Acl;
import org.switchboard.media.esl.EslUser;
import org.switchboard.media.sdp.SecureMedia;
import org.switchboard.metrics.Meters;
import org.switchboard.sip.stack.transaction.TimerConfig;

/**
 * Configuration of a {@link MediaServer}; build with {@link #builder()}. Validated when built: a non-loopback event
 * socket address needs an explicit password (the well-known default would let anyone on the network in).
 */
public final class MediaServerConfig {

    /** Default SIP address, as the fsmrf profile of a stock FreeSWITCH: 127.0.0.1:5080. */
    public static final InetSocketAddress DEFAULT_SIP = new InetSocketAddress("127.0.0.1", 5080);
    /** Default event socket address: 127.0.0.1:8021. */
    public static final InetSocketAddress DEFAULT_ESL = new InetSocketAddress("127.0.0.1", 8021);
    /** Default event socket password: ClueCon (accepted only on a loopback address). */
    public static final String DEFAULT_PASSWORD = "ClueCon";
    /** Default RTP ports: 16384 to 32767. */
    public static final int DEFAULT_RTP_FIRST = 16384;
    public static final int DEFAULT_RTP_LAST = 32767;
    /** Default SIP profile name: drachtio_mrf (what fsmrf looks for in {@code sofia status}). */
    public static final String DEFAULT_PROFILE = "drachtio_mrf";
    /** Default HEARTBEAT interval: 20 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(20);
    /** Default most channels up at once, FreeSWITCH's {@code max-sessions} default. */
    public static final int DEFAULT_MAX_SESSIONS = 1000;
    /**
     * Default real-time priority of the media clock's thread: 10 (SCHED_RR, above every normally scheduled thread,
     * below the kernel's interrupt threads at 50).
     */
    public static final int DEFAULT_CLOCK_PRIORITY = 10;
    /**
     * Default threads of the media clock: one fewer than the cores (at least one, at most 4). A channel's packet costs
     * the clock a send system call (one socket per channel, so packets cannot share one), and one thread fills a core
     * at about 2,500 channels. A core is left to call setup and the event loops: clock threads run at real-time
     * priority, so an overloaded clock on every core (transcoding, say) would starve the signalling. Past 4 the
     * threads would only contend with the event loops that read the same sockets.
     */
    public static final int DEFAULT_CLOCK_THREADS =
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    /** Default deadline of an outbound event socket's TCP connect: 5 s. */
    public static final Duration DEFAULT_SOCKET_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default wait for the controller's {@code connect}: 25 s, as FreeSWITCH. */
    public static final Duration DEFAULT_FIRST_COMMAND_TIMEOUT = Duration.ofSeconds(25);

    private final InetSocketAddress sip;
    private final Optional<SipTls> sipTls;
    private final InetSocketAddress esl;
    private final String password;
    private final Map<String, EslUser> eslUsers;
    private final InetAddress rtpAddress;
    private final int rtpFirst;
    private final int rtpLast;
    private final Path sounds;
    private final Path recordings;
    private final String profile;
    private final Duration heartbeat;
    private final int maxSessions;
    private final List<Codec> codecs;
    private final boolean greedyCodecs;
    private final SecureMedia secureMedia;
    private final int clockPriority;
    private final int clockThreads;
    private final Duration socketConnectTimeout;
    private final Duration firstCommandTimeout;
    private final TimerConfig sipTimers;
    private final Acl eslAcl;
    private final MeterRegistry meters;

    private MediaServerConfig(Builder b) {
        this.sip = b.sip;
        this.sipTls = b.sipTls;
        this.esl = b.esl;
        this.password = b.password.orElse(DEFAULT_PASSWORD);
        this.eslUsers = Map.copyOf(b.eslUsers);
        this.rtpAddress = b.rtpAddress.orElse(b.sip.getAddress());
        this.rtpFirst = b.rtpFirst;
        this.rtpLast = b.rtpLast;
        this.sounds = b.sounds;
        this.recordings = b.recordings;
        this.profile = b.profile;
        this.heartbeat = b.heartbeat;
        this.maxSessions = b.maxSessions;
        this.codecs = b.codecs;
        this.greedyCodecs = b.greedyCodecs;
        this.secureMedia = b.secureMedia;
        this.clockPriority = b.clockPriority;
        this.clockThreads = b.clockThreads;
        this.socketConnectTimeout = b.socketConnectTimeout;
        this.firstCommandTimeout = b.firstCommandTimeout;
        this.sipTimers = b.sipTimers;
        this.meters = b.meters;
        // as FreeSWITCH's loopback.auto on a loopback listener; off loopback the (explicit) password guards
        this.eslAcl = b.eslAcl.orElse(b.esl.getAddress().isLoopbackAddress() ? Acl.loopback() : Acl.any());
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where SIP (UDP and TCP) listens. */
    public InetSocketAddress sip() {
        return sip;
    }

    /** The SIP profile's TLS listener, on {@link #sip()}'s host, when it has one. */
    public Optional<SipTls> sipTls() {
        return sipTls;
    }

    /** Where the inbound event socket listens. */
    public InetSocketAddress esl() {
        return esl;
    }

    /** The event socket password. */
    public String password() {
        return password;
    }

    /** The users {@code userauth} accepts, by {@code user@domain} (FreeSWITCH takes them from its directory). */
    public Map<String, EslUser> eslUsers() {
        return eslUsers;
    }

    /** The address RTP sessions bind to and the SDP advertises. */
    public InetAddress rtpAddress() {
        return rtpAddress;
    }

    /** The first RTP port. */
    public int rtpFirst() {
        return rtpFirst;
    }

    /** The last RTP port. */
    public int rtpLast() {
        return rtpLast;
    }

    /** Where relative sound file names are looked up. */
    public Path sounds() {
        return sounds;
    }

    /** Where relative recording names are written. */
    public Path recordings() {
        return recordings;
    }

    /** The SIP profile name ({@code sofia status}, channel names). */
    public String profile() {
        return profile;
    }

    /** The HEARTBEAT interval. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /**
     * The most channels up at once: the configured {@code max-sessions}, or fewer when the RTP port range holds fewer
     * sessions (each takes an RTP and an RTCP port). Calls beyond it are refused with 503.
     */
    public int maxSessions() {
        return Math.min(maxSessions, org.switchboard.media.session.PortRange.capacity(rtpFirst, rtpLast));
    }

    /** The codecs offered and accepted, in our order of preference (FreeSWITCH's codec prefs). */
    public List<Codec> codecs() {
        return codecs;
    }

    /**
     * Whether our codec order decides over the offer's (FreeSWITCH's {@code inbound-codec-negotiation} greedy; the
     * default, generous, takes the offer's order).
     */
    public boolean greedyCodecs() {
        return greedyCodecs;
    }

    /** Whether callers' audio may, must or must not be SRTP (FreeSWITCH's {@code rtp_secure_media_inbound}). */
    public SecureMedia secureMedia() {
        return secureMedia;
    }

    /** The real-time (SCHED_RR) priority the media clock's thread asks for, 1-99; 0: normal scheduling. */
    public int clockPriority() {
        return clockPriority;
    }

    /** How many threads run the media clock (each sends the packets of its share of the channels). */
    public int clockThreads() {
        return clockThreads;
    }

    /** The deadline of an outbound event socket's TCP connect. */
    public Duration socketConnectTimeout() {
        return socketConnectTimeout;
    }

    /** How long an outbound event socket waits for the controller's {@code connect}. */
    public Duration firstCommandTimeout() {
        return firstCommandTimeout;
    }

    /** SIP T1/T2/T4 (tests shorten them). */
    public TimerConfig sipTimers() {
        return sipTimers;
    }

    /** Who may connect to the inbound event socket (default: loopback on a loopback address, else anyone). */
    public Acl eslAcl() {
        return eslAcl;
    }

    /**
     * Where the server's meters go (docs/operations.md): channels, RTP packets, the media clock's send-interval
     * error, and its SIP stack's (tagged {@code stack=media}); by default a registry that keeps nothing.
     */
    public MeterRegistry meters() {
        return meters;
    }

    /** Builds a {@link MediaServerConfig}. */
    public static final class Builder {
        private InetSocketAddress sip = DEFAULT_SIP;
        private Optional<SipTls> sipTls = Optional.empty();
        private InetSocketAddress esl = DEFAULT_ESL;
        private Optional<String> password = Optional.empty();
        private final Map<String, EslUser> eslUsers = new java.util.LinkedHashMap<>();
        private Optional<InetAddress> rtpAddress = Optional.empty();
        private int rtpFirst = DEFAULT_RTP_FIRST;
        private int rtpLast = DEFAULT_RTP_LAST;
        private Path sounds = Path.of("sounds");
        private Path recordings = Path.of("recordings");
        private String profile = DEFAULT_PROFILE;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private List<Codec> codecs = Codecs.parse(String.join(",", Codecs.DEFAULT_PREFERENCES));
        private boolean greedyCodecs;
        private SecureMedia secureMedia = SecureMedia.DEFAULT;
        private int clockPriority = DEFAULT_CLOCK_PRIORITY;
        private int clockThreads = DEFAULT_CLOCK_THREADS;
        private Duration socketConnectTimeout = DEFAULT_SOCKET_CONNECT_TIMEOUT;
        private Duration firstCommandTimeout = DEFAULT_FIRST_COMMAND_TIMEOUT;
        private TimerConfig sipTimers = TimerConfig.DEFAULTS;
        private Optional<Acl> eslAcl = Optional.empty();
        private MeterRegistry meters = Meters.none();

        private Builder() {
        }

        /** Counts in {@code registry} (see {@link MediaServerConfig#meters()}). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The SIP address (port 0: any free port). */
        public Builder sip(InetSocketAddress address) {
            this.sip = Objects.requireNonNull(address, "sip");
            return this;
        }

        /** A TLS listener for SIP beside UDP, as a sofia profile's {@code tls} settings add one. */
        public Builder sipTls(SipTls tls) {
            this.sipTls = Optional.of(tls);
            return this;
        }

        /** The inbound event socket address (port 0: any free port). */
        public Builder esl(InetSocketAddress address) {
            this.esl = Objects.requireNonNull(address, "esl");
            return this;
        }

        /**
         * A user who may log in with {@code userauth user@domain:password} instead of the event socket password,
         * with every right a password login has; the well-known default password is refused for a user too when
         * the event socket is not on loopback.
         */
        public Builder eslUser(String userAtDomain, String password) {
            return eslUser(EslUser.of(userAtDomain, password));
        }

        /** A userauth user with the rights it is given (a later one of the same id replaces it). */
        public Builder eslUser(EslUser user) {
            eslUsers.put(user.id(), Objects.requireNonNull(user, "user"));
            return this;
        }

        /** The event socket password (required for a non-loopback event socket address). */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty() || password.contains("\n")) {
                throw new IllegalArgumentException("password must be non-empty and one line");
            }
            this.password = Optional.of(password);
            return this;
        }

        /** The RTP address (default: the SIP address's host). */
        public Builder rtpAddress(InetAddress address) {
            this.rtpAddress = Optional.of(address);
            return this;
        }

        /** The RTP port range, inclusive. */
        public Builder rtpPorts(int first, int last) {
            if (first < 1024 || last > 65534 || first >= last) {
                throw new IllegalArgumentException("rtp ports must satisfy 1024 <= first < last <= 65534, were "
                        + first + "-" + last);
            }
            this.rtpFirst = first;
            this.rtpLast = last;
            return this;
        }

        /** Where relative sound names are read from. */
        public Builder sounds(Path folder) {
            this.sounds = Objects.requireNonNull(folder, "sounds");
            return this;
        }

        /** Where relative recording names are written. */
        public Builder recordings(Path folder) {
            this.recordings = Objects.requireNonNull(folder, "recordings");
            return this;
        }

        /** The SIP profile name (letters, digits, {@code _ . -}). */
        public Builder profile(String profile) {
            if (!profile.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("profile must be letters, digits, '_', '.' or '-', was '" + profile + "'");
            }
            this.profile = profile;
            return this;
        }

        /** The most channels up at once (FreeSWITCH's {@code max-sessions}); more INVITEs get 503. */
        public Builder maxSessions(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("max-sessions must be at least 1, was " + sessions);
            }
            this.maxSessions = sessions;
            return this;
        }

        /**
         * The codecs offered and accepted, in order, as FreeSWITCH's codec string: {@code OPUS,G722,PCMU,PCMA} (the
         * default) or any of those names.
         *
         * @throws IllegalArgumentException for a codec this server does not have
         */
        public Builder codecs(String preferences) {
            this.codecs = Codecs.parse(preferences);
            return this;
        }

        /** {@code generous} (the default: the offer's order decides) or {@code greedy} (ours does). */
        public Builder codecNegotiation(String mode) {
            if (!mode.equals("generous") && !mode.equals("greedy")) {
                throw new IllegalArgumentException("codec negotiation is generous or greedy, was '" + mode + "'");
            }
            this.greedyCodecs = mode.equals("greedy");
            return this;
        }

        /**
         * FreeSWITCH's {@code rtp_secure_media_inbound} permission: {@code default} (SRTP when offered), {@code
         * mandatory} or {@code forbidden}; see {@link SecureMedia#parse}.
         */
        public Builder secureMedia(String permission) {
            this.secureMedia = SecureMedia.parse(permission);
            return this;
        }

        /**
         * The real-time priority the media clock's thread asks for (1-99, round robin; 0: normal scheduling). Granted
         * with {@code CAP_SYS_NICE} or an {@code RLIMIT_RTPRIO} of at least this; refused, the clock runs normally
         * and the log says so.
         */
        public Builder clockPriority(int priority) {
            if (priority < 0 || priority > 99) {
                throw new IllegalArgumentException("clock priority must be 0 (none) or 1-99, was " + priority);
            }
            this.clockPriority = priority;
            return this;
        }

        /** How many threads run the media clock: 1-10 (default: one fewer than the cores, 1 to 4). */
        public Builder clockThreads(int threads) {
            if (threads < 1 || threads > org.switchboard.media.session.MediaClock.PHASES) {
                throw new IllegalArgumentException("clock threads must be 1-" + org.switchboard.media.session.MediaClock.PHASES
                        + ", was " + threads);
            }
            this.clockThreads = threads;
            return this;
        }

        /** The HEARTBEAT interval (positive). */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = positive(interval, "heartbeat");
            return this;
        }

        /** The outbound event socket's TCP connect deadline (positive). */
        public Builder socketConnectTimeout(Duration timeout) {
            this.socketConnectTimeout = positive(timeout, "socketConnectTimeout");
            return this;
        }

        /** How long to wait for the controller's {@code connect} (positive). */
        public Builder firstCommandTimeout(Duration timeout) {
            this.firstCommandTimeout = positive(timeout, "firstCommandTimeout");
            return this;
        }

        /** Who may connect to the inbound event socket; the others get {@code text/rude-rejection}. */
        public Builder eslAcl(Acl acl) {
            this.eslAcl = Optional.of(Objects.requireNonNull(acl, "eslAcl"));
            return this;
        }

        /** SIP T1/T2/T4. */
        public Builder sipTimers(TimerConfig timers) {
            this.sipTimers = Objects.requireNonNull(timers, "sipTimers");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when the event socket is on a non-loopback address without a password of
         *     its own (none, or the well-known default)
         */
        public MediaServerConfig build() {
            if (!esl.getAddress().isLoopbackAddress() && password.filter(p -> !p.equals(DEFAULT_PASSWORD)).isEmpty()) {
                throw new IllegalArgumentException("the event socket address " + esl.getAddress().getHostAddress()
                        + " is not loopback: give an explicit password (the well-known default is only accepted"
                        + " on loopback)");
            }
            if (!esl.getAddress().isLoopbackAddress()
                    && eslUsers.values().stream().anyMatch(u -> u.password().equals(DEFAULT_PASSWORD))) {
                throw new IllegalArgumentException("the event socket address " + esl.getAddress().getHostAddress()
                        + " is not loopback: an event socket user has the well-known default password");
            }
            return new MediaServerConfig(this);
        }

        static InetAddress address(String host) {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host " + host, e);
            }
        }
    }
}
