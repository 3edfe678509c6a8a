package org.switchboard.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.server.RateLimit;
import org.switchboard.drachtio.server.RefusalMode;
import org.switchboard.drachtio.server.SpammerRules;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * The container's settings, immutable. Each one is declared once below (key, type and unit, default, meaning);
 * values come from a properties file, then environment variables ({@code SWITCHBOARD_DRACHTIO_MODE} sets
 * {@code drachtio.mode}: upper case, dots as underscores), then explicit overrides ({@code --set}). Every value
 * is checked when the configuration is built: a bad value, a missing required one or an unknown key fails with
 * a {@link ConfigException} naming the key, the value and what was expected. {@code ./switchboard run --help}
 * lists the settings from the same declarations.
 */
public final class ContainerConfig {

    /** {@code drachtio.listen}'s default: where an outbound-mode container listens for the server. */
    public static final InetSocketAddress DEFAULT_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 9023);
    /** {@code sip.contacts}'s default: the embedded server on loopback, UDP and TCP. */
    public static final String DEFAULT_CONTACT = "sip:127.0.0.1:5060;transport=udp,tcp";
    /** {@code admin.listen}'s default: loopback only. */
    public static final InetSocketAddress DEFAULT_ADMIN_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 8880);
    /** The shortest {@code admin.token} taken. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** What the settings in effect show instead of a secret. */
    static final String MASKED = "***";
    /** {@code deployments.dir}'s default. */
    public static final Path DEFAULT_DEPLOYMENTS = Path.of("deployments");
    /** {@code deployments.scan}'s default. */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(1);
    /** {@code deployments.drain}'s default. */
    public static final Duration DEFAULT_REDEPLOY_DRAIN = Duration.ofSeconds(30);
    /** {@code answer.timeout}'s default: three minutes, as drachtio-srf leaves an unanswered request. */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(3);
    /** {@code media.deadline}'s default. */
    public static final Duration DEFAULT_MEDIA_DEADLINE = Duration.ofSeconds(30);
    /** {@code media.sounds}'s default. */
    public static final Path DEFAULT_SOUNDS = Path.of("sounds");
    /** {@code shutdown.drain}'s default. */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN = Duration.ofSeconds(30);

    static final Setting<String> MODE = Setting.choice("drachtio.mode", List.of("embedded", "inbound", "outbound"), "embedded",
            "embedded: start the embedded SIP server; inbound: connect to a drachtio-server; outbound: the server connects to us");
    static final Setting<String> HOST = Setting.of("drachtio.host", Setting.TEXT, DrachtioClientConfig.DEFAULT_HOST,
            "inbound: the drachtio-server's admin host");
    static final Setting<Integer> PORT = Setting.of("drachtio.port", Setting.PORT, DrachtioClientConfig.DEFAULT_PORT,
            "inbound: the drachtio-server's admin port");
    static final Setting<List<InetSocketAddress>> SERVERS = Setting.optional("drachtio.servers", Setting.ADDRESSES,
            "drachtio.host:drachtio.port", "inbound: several drachtio-servers' admin ports (host:port, comma separated), all"
                    + " connected at once; replaces drachtio.host and drachtio.port");
    static final Setting<InetSocketAddress> LISTEN = Setting.of("drachtio.listen", Setting.ADDRESS, DEFAULT_LISTEN,
            "outbound: where the server connects");
    static final Setting<String> SECRET = Setting.optional("drachtio.secret", Setting.TEXT, "none",
            "required with an external server; '" + DrachtioClientConfig.EXAMPLE_SECRET + "' only on loopback");
    static final Setting<List<String>> CONTACTS = Setting.of("sip.contacts", Setting.CONTACTS, List.of(DEFAULT_CONTACT),
            "embedded: the SIP listen points (drachtio --contact syntax)");
    static final Setting<Path> TLS_CERT = Setting.optional("sip.tls.cert", Setting.PATH, "none",
            "embedded: the PEM certificate (chain) the tls and wss listen points of sip.contacts serve");
    static final Setting<Path> TLS_KEY = Setting.optional("sip.tls.key", Setting.PATH, "none",
            "embedded: the PEM PKCS#8 private key of sip.tls.cert");
    static final Setting<Path> TLS_CHAIN = Setting.optional("sip.tls.chain", Setting.PATH, "none",
            "embedded: PEM intermediate CA certificates sent after sip.tls.cert");
    static final Setting<Boolean> DRACHTIO_TLS = Setting.of("drachtio.tls", Setting.BOOLEAN, false,
            "inbound: connect to the drachtio-server's TLS app port (its --tls-port) over TLS");
    static final Setting<Path> DRACHTIO_TLS_CA = Setting.optional("drachtio.tls.ca", Setting.PATH, "the JDK's CAs",
            "inbound with drachtio.tls: the PEM CA certificates the server's certificate must chain to");
    static final Setting<Duration> T1 = Setting.of("sip.t1", Setting.MILLIS, TimerConfig.DEFAULT_T1,
            "embedded: RFC 3261 T1 (T2 and T4 scale with it)");
    static final Setting<Boolean> CDRS = Setting.of("sip.cdrs", Setting.BOOLEAN, false,
            "embedded: whether the server sends call detail records");
    static final Setting<Path> DEPLOYMENTS = Setting.of("deployments.dir", Setting.PATH, DEFAULT_DEPLOYMENTS,
            "the folder of WAR/JAR archives to deploy");
    static final Setting<Path> WORK = Setting.optional("deployments.work", Setting.PATH,
            "a temporary folder, removed at exit", "where archives are unpacked");
    static final Setting<Duration> SCAN = Setting.of("deployments.scan", Setting.MILLIS, DEFAULT_SCAN_INTERVAL,
            "how often the deployments folder is scanned");
    static final Setting<Duration> REDEPLOY_DRAIN = Setting.of("deployments.drain", Setting.SECONDS, DEFAULT_REDEPLOY_DRAIN,
            "how long a replaced or removed version keeps its calls before they get BYE");
    static final Setting<Duration> ANSWER_TIMEOUT = Setting.of("answer.timeout", Setting.SECONDS, DEFAULT_ANSWER_TIMEOUT,
            "a request no application answered gets 480 after this (the embedded server waits 5 s longer)");
    static final Setting<Boolean> HEALTH_OPTIONS = Setting.of("health.options", Setting.BOOLEAN, true,
            "answer an OPTIONS to the node itself (no user) that no application takes: 200 while taking calls, 503 while"
                    + " draining or with no application");
    static final Setting<Duration> SHUTDOWN_DRAIN = Setting.of("shutdown.drain", Setting.SECONDS, DEFAULT_SHUTDOWN_DRAIN,
            "on stop (SIGTERM): how long calls in progress may go on before they get BYE");
    static final Setting<Duration> OUTBOUND_GRACE = Setting.of("shutdown.outbound-grace", Setting.MILLIS, Duration.ofSeconds(2),
            "outbound: on stop, how long new calls are still taken (readiness already down) before they get 503: the"
                    + " routing service's time to stop naming this node");

    static final Setting<Optional<InetSocketAddress>> ADMIN_LISTEN = Setting.of("admin.listen", Setting.ADDRESS_OR_OFF,
            Optional.of(DEFAULT_ADMIN_LISTEN), "the admin API, the console, /metrics and /health: where they listen (port 0: a"
                    + " free one)");
    static final Setting<String> ADMIN_TOKEN = Setting.optional("admin.token", Setting.TEXT,
            "generated at start into an owner-only file the log names", "the token the admin API and the console take (at"
                    + " least " + MIN_TOKEN_LENGTH + " characters; required when admin.listen is not loopback)");
    static final Setting<Integer> CAPTURE_ENDED = Setting.of("admin.capture.ended", Setting.COUNT, 100,
            "how many ended calls keep their SIP ladder for the console (0: none)");
    static final Setting<Integer> CAPTURE_MESSAGES = Setting.of("admin.capture.messages", Setting.COUNT, 500,
            "at most this many ladder entries (SIP messages, media events) per call; later ones are counted, not kept (0: no"
                    + " ladders)");
    static final Setting<Boolean> OVERLOAD_SHED = Setting.of("overload.shed", Setting.BOOLEAN, false,
            "refuse part of the new INVITEs with 503 and Retry-After while requests wait too long for the container"
                    + " (docs/container.md)");
    static final Setting<Duration> OVERLOAD_HIGH = Setting.of("overload.high", Setting.MILLIS, LoadShedder.Settings.DEFAULTS.high(),
            "how long the oldest new request may wait for its application's observers before the share of new INVITEs"
                    + " taken is halved");
    static final Setting<Duration> OVERLOAD_LOW = Setting.of("overload.low", Setting.MILLIS, LoadShedder.Settings.DEFAULTS.low(),
            "the wait under which that share grows back (below overload.high)");
    static final Setting<Duration> OVERLOAD_RECOVERY = Setting.of("overload.recovery", Setting.MILLIS,
            LoadShedder.Settings.DEFAULTS.recovery(), "how long the share takes to grow back from none to all");
    static final Setting<Duration> OVERLOAD_RETRY_AFTER = Setting.of("overload.retry-after", Setting.SECONDS,
            LoadShedder.Settings.DEFAULTS.retryAfter(), "the Retry-After of the 503 a refused caller gets");

    static final Setting<Integer> UDP_RECEIVE_BUFFER = Setting.of("sip.udp-receive-buffer", Setting.BYTES,
            TransportConfig.DEFAULT_UDP_RECEIVE_BUFFER, "embedded: the receive buffer the SIP UDP sockets ask for (Linux caps it at"
                    + " net.core.rmem_max; a warning says when)");

    static final Setting<Integer> RATE_LIMIT = Setting.optional("sip.rate-limit", Setting.COUNT, "off",
            "embedded: new requests per second one source address may send; those over it are refused"
                    + " (sip.rate-limit.action; in-dialog requests never are)");
    static final Setting<Integer> RATE_LIMIT_BURST = Setting.optional("sip.rate-limit.burst", Setting.COUNT,
            "sip.rate-limit", "embedded: how many new requests one source may send at once above sip.rate-limit");
    static final Setting<String> RATE_LIMIT_ACTION = Setting.choice("sip.rate-limit.action", List.of("reject", "discard"),
            "reject", "embedded: reject answers a request over sip.rate-limit 503 with Retry-After, discard drops it unanswered");
    static final Setting<Boolean> SYMMETRIC_RESPONSES = Setting.of("sip.symmetric-responses", Setting.BOOLEAN, false,
            "embedded: every response goes back to the address and port its request came from, whatever its Via names"
                    + " (callers behind NAT that do not ask for rport; test corpora whose Via hosts are example names)");
    static final Setting<Path> SPAMMERS = Setting.optional("sip.spammers", Setting.PATH, "none",
            "embedded: a drachtio-server XML configuration file whose <sip><spammers> rules refuse requests by their"
                    + " User-Agent, To or From (docs/drachtio.md)");

    static final Setting<String> MEDIA_MODE = Setting.choice("media.mode", List.of("embedded", "external", "none"), "embedded",
            "embedded: start the embedded media server in this process; external: use media.servers (FreeSWITCH);"
                    + " none: no media for applications");
    static final Setting<List<Setting.EventSocket>> MEDIA_SERVERS = Setting.optional("media.servers", Setting.EVENT_SOCKETS,
            "none", "external: the media servers' event sockets (the password follows the port)");
    static final Setting<Boolean> MEDIA_TLS = Setting.of("media.tls", Setting.BOOLEAN, false,
            "external: reach the media servers' event sockets over TLS, through a TLS front such as stunnel (docs/esl.md)");
    static final Setting<Path> MEDIA_TLS_CA = Setting.optional("media.tls.ca", Setting.PATH, "the JDK's CAs",
            "external with media.tls: the PEM CA certificates the fronts' certificates must chain to");
    static final Setting<Duration> MEDIA_DEADLINE = Setting.of("media.deadline", Setting.SECONDS, DEFAULT_MEDIA_DEADLINE,
            "how long a media operation (play, collect, record, ...) may take before it fails");
    static final Setting<InetSocketAddress> MEDIA_LISTEN = Setting.optional("media.listen", Setting.ADDRESS,
            "loopback, a free port", "where the media servers' channels connect back (external servers on other"
                    + " hosts need an address they reach)");
    static final Setting<List<String>> MEDIA_EVENTS = Setting.of("media.events", Setting.SUBCLASSES, List.of(),
            "CUSTOM event subclasses every endpoint's connection subscribes to from the start, beside"
                    + " conference::maintenance (applications observe them as EslEvent)");
    static final Setting<Path> MEDIA_SOUNDS = Setting.of("media.sounds", Setting.PATH, DEFAULT_SOUNDS,
            "embedded: the folder relative sound file names are played from");

    static final Setting<Duration> CALL_MAX_DURATION = Setting.optional("call.max-duration", Setting.SECONDS, "off",
            "a call (INVITE dialog) with no in-dialog request or response for this long is ended with BYE");
    static final Setting<Boolean> LOG_CALLS = Setting.of("log.calls", Setting.BOOLEAN, true,
            "one INFO line per call at its end (SBC-110: Call-ID, application, legs, duration, status)");
    static final Setting<Boolean> METRICS = Setting.of("metrics.enabled", Setting.BOOLEAN, true,
            "keep the Prometheus metrics every part records (served at /metrics on the admin listener); false: record"
                    + " into nothing");

    /** Every setting, in the order {@code --help} lists them. */
    static final List<Setting<?>> SETTINGS = List.of(MODE, HOST, PORT, LISTEN, SECRET, CONTACTS, T1, CDRS, DEPLOYMENTS, WORK,
            SCAN, REDEPLOY_DRAIN, ANSWER_TIMEOUT, HEALTH_OPTIONS, SHUTDOWN_DRAIN, MEDIA_MODE, MEDIA_SERVERS, MEDIA_DEADLINE,
            MEDIA_LISTEN, MEDIA_EVENTS, MEDIA_SOUNDS, TLS_CERT, TLS_KEY, TLS_CHAIN, DRACHTIO_TLS, DRACHTIO_TLS_CA, ADMIN_LISTEN, ADMIN_TOKEN, CAPTURE_ENDED, CAPTURE_MESSAGES,
            CALL_MAX_DURATION, LOG_CALLS, OVERLOAD_SHED, OVERLOAD_HIGH, OVERLOAD_LOW, OVERLOAD_RECOVERY,
            OVERLOAD_RETRY_AFTER, UDP_RECEIVE_BUFFER, METRICS, RATE_LIMIT, RATE_LIMIT_BURST, RATE_LIMIT_ACTION, SPAMMERS,
            SYMMETRIC_RESPONSES, SERVERS, OUTBOUND_GRACE, MEDIA_TLS, MEDIA_TLS_CA);

    private static final String ENV_PREFIX = "SWITCHBOARD_";
    private static final Pattern APP_KEY = Pattern.compile("app\\.([^.]+)\\.(routing\\.[^.]+)");
    private static final List<String> ROUTING_KEYS = List.of("routing.methods", "routing.user", "routing.host", "routing.priority");

    private final Map<Setting<?>, Object> values;
    private final Properties applications;

    private ContainerConfig(Map<Setting<?>, Object> values, Properties applications) {
        this.values = Map.copyOf(values);
        this.applications = applications;
    }

    /** A builder: file, environment and overrides, checked by {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads {@code file} when it exists, then the environment, then {@code overrides}. */
    public static ContainerConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        return builder().file(file).environment(environment).set(overrides).build();
    }

    /** Only {@code values}. */
    public static ContainerConfig of(Map<String, String> values) {
        return builder().set(values).build();
    }

    /** The drachtio mode: {@code embedded}, {@code inbound} or {@code outbound}. */
    public String mode() {
        return get(MODE);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> setting) {
        T value = (T) values.get(setting);
        return value != null ? value : setting.defaultValue().orElseThrow(() -> new IllegalStateException(setting + " has no default"));
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable((T) values.get(setting)).or(setting::defaultValue);
    }

    /** The embedded server's SIP TLS identity ({@code sip.tls.*}), when a certificate is configured. */
    Optional<org.switchboard.sip.stack.transport.TlsConfig> sipTls() {
        return find(TLS_CERT).map(cert -> {
            org.switchboard.sip.stack.transport.TlsConfig.Builder b = org.switchboard.sip.stack.transport.TlsConfig.builder()
                    .pem(cert, find(TLS_KEY).orElseThrow());
            find(TLS_CHAIN).ifPresent(b::chain);
            return b.build();
        });
    }

    /**
     * Every setting's value in effect, in {@code --help}'s order, as text: secrets ({@code drachtio.secret},
     * {@code admin.token}, the media servers' passwords) shown as {@value #MASKED}.
     */
    public Map<String, String> effective() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Setting<?> s : SETTINGS) {
            result.put(s.key(), shown(s));
        }
        applications.stringPropertyNames().stream().sorted().forEach(k -> result.put(k, applications.getProperty(k)));
        return result;
    }

    private <T> String shown(Setting<T> s) {
        Optional<T> value = find(s);
        if (value.isEmpty()) {
            return s.defaultText();
        }
        if (s == SECRET || s == ADMIN_TOKEN) {
            return MASKED;
        }
        if (s == MEDIA_SERVERS) {
            return String.join(",", get(MEDIA_SERVERS).stream().map(e -> e + ":" + MASKED).toList());
        }
        return s.type().format().apply(value.get());
    }

    /** The load shedder's settings, when {@code overload.shed} is on. */
    Optional<LoadShedder.Settings> overload() {
        if (!get(OVERLOAD_SHED)) {
            return Optional.empty();
        }
        return Optional.of(new LoadShedder.Settings(get(OVERLOAD_HIGH), get(OVERLOAD_LOW), get(OVERLOAD_RECOVERY),
                LoadShedder.Settings.DEFAULTS.period(), get(OVERLOAD_RETRY_AFTER)));
    }

    /** The embedded server's per-source limit on new requests, when {@code sip.rate-limit} is set. */
    Optional<RateLimit> rateLimit() {
        return find(RATE_LIMIT).map(rate -> new RateLimit(rate, find(RATE_LIMIT_BURST).orElse(rate),
                RefusalMode.of(get(RATE_LIMIT_ACTION))));
    }

    /** {@code deployments.work}, or a folder named for this process in the temporary directory. */
    Path work() {
        return find(WORK).orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "switchboard-work-" + ProcessHandle.current().pid()));
    }

    /** The {@code app.NAME.routing.*} settings. */
    Properties applications() {
        Properties copy = new Properties();
        copy.putAll(applications);
        return copy;
    }

    /** The settings section of {@code --help}: every setting, its type with unit, default and meaning. */
    static String help() {
        StringBuilder b = new StringBuilder("Settings (--set key=value; the config file; environment SWITCHBOARD_<KEY>, upper case,"
                + " dots as underscores):\n");
        for (Setting<?> s : SETTINGS) {
            b.append(String.format("  %-20s %s%n  %-20s   %s; default %s%n", s.key(), s.description(), "", s.type().what(), s.defaultText()));
        }
        b.append(String.format("  %-20s %s%n", "app.NAME.routing.*", "routing of the application deployed from NAME.war or NAME.jar:"))
                .append(String.format("  %-20s   %s%n", "", "methods (comma separated), user and host (regular expressions),"
                        + " priority (an integer)"));
        return b.toString();
    }

    /** The known key closest to {@code key} when it is close enough to be a typo. */
    static Optional<String> suggestion(String key) {
        List<String> candidates = new ArrayList<>(SETTINGS.stream().map(Setting::key).toList());
        Matcher app = Pattern.compile("app\\.([^.]+)\\..*").matcher(key);
        if (app.matches()) {
            ROUTING_KEYS.forEach(r -> candidates.add("app." + app.group(1) + "." + r));
        }
        int limit = Math.max(2, key.length() / 4);
        return candidates.stream().filter(c -> distance(key, c) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(key, c)).thenComparing(c -> !c.startsWith(key))); // a cut-short key
    }

    /** Levenshtein distance: insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Collects values from their sources; {@link #build()} checks them all. Later sources win: file, environment, overrides. */
    public static final class Builder {

        private record Raw(String value, String source) {
        }

        private final Map<String, Raw> file = new LinkedHashMap<>();
        private final Map<String, Raw> environment = new LinkedHashMap<>();
        private final Map<String, Raw> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Reads the properties file {@code path} when it exists ({@code null}: none). */
        public Builder file(Path path) {
            if (path == null || !Files.isRegularFile(path)) {
                return this;
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            p.stringPropertyNames().forEach(k -> file.put(k.trim(), new Raw(p.getProperty(k), "in " + path)));
            return this;
        }

        /**
         * Takes the {@code SWITCHBOARD_*} variables of {@code variables} that name a setting; others (such as
         * {@code SWITCHBOARD_LOG_LEVEL}, read by the logging configuration) are left alone.
         */
        public Builder environment(Map<String, String> variables) {
            variables.forEach((name, value) -> {
                if (name.startsWith(ENV_PREFIX)) {
                    String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    if (SETTINGS.stream().anyMatch(s -> s.key().equals(key)) || APP_KEY.matcher(key).matches()) {
                        environment.put(key, new Raw(value, "from " + name));
                    }
                }
            });
            return this;
        }

        /** One setting, over the file and the environment. */
        public Builder set(String key, String value) {
            overrides.put(key.trim(), new Raw(value, ""));
            return this;
        }

        /** Several settings, over the file and the environment. */
        public Builder set(Map<String, String> values) {
            values.forEach(this::set);
            return this;
        }

        /**
         * Checks every value and builds the configuration.
         *
         * @throws ConfigException listing every unknown key and bad value, each with its key, value and source
         */
        public ContainerConfig build() {
            Map<String, Raw> all = new LinkedHashMap<>(file);
            all.putAll(environment);
            all.putAll(overrides);
            Map<Setting<?>, Object> values = new HashMap<>();
            Properties applications = new Properties();
            List<String> errors = new ArrayList<>();
            all.forEach((key, raw) -> {
                String value = raw.value().trim();
                try {
                    Optional<Setting<?>> setting = SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst();
                    if (setting.isPresent()) {
                        values.put(setting.get(), setting.get().parse(value));
                    } else if (isApplicationKey(key)) {
                        checkApplication(key, value);
                        applications.setProperty(key, value);
                    } else {
                        throw new IllegalArgumentException("unknown setting '" + key + "'"
                                + suggestion(key).map(s -> "; did you mean '" + s + "'?").orElse(" (./switchboard run --help lists them)"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage() + (raw.source().isEmpty() ? "" : " (" + raw.source() + ")"));
                }
            });
            ContainerConfig config = new ContainerConfig(values, applications);
            if (!config.mode().equals("embedded") && config.find(SECRET).filter(s -> !s.isEmpty()).isEmpty()) {
                errors.add(SECRET.key() + " (or SWITCHBOARD_DRACHTIO_SECRET) is required with an external drachtio-server ("
                        + MODE.key() + " " + config.mode() + ")");
            }
            tlsProblems(config).ifPresent(errors::add);
            if (config.get(OVERLOAD_LOW).compareTo(config.get(OVERLOAD_HIGH)) >= 0) {
                errors.add(OVERLOAD_LOW.key() + " (" + config.get(OVERLOAD_LOW).toMillis() + " ms) must be below "
                        + OVERLOAD_HIGH.key() + " (" + config.get(OVERLOAD_HIGH).toMillis() + " ms)");
            }
            try {
                config.rateLimit();
            } catch (IllegalArgumentException e) {
                errors.add(RATE_LIMIT.key() + ": " + e.getMessage());
            }
            if (config.find(SPAMMERS).isPresent()) {
                try {
                    SpammerRules.fromConfigFile(config.get(SPAMMERS));
                } catch (IllegalArgumentException e) {
                    errors.add(SPAMMERS.key() + ": " + e.getMessage());
                }
            }
            boolean external = config.get(MEDIA_MODE).equals("external");
            boolean servers = all.containsKey(MEDIA_SERVERS.key()); // a bad value is reported once, above
            if (external && !servers) {
                errors.add(MEDIA_SERVERS.key() + " is required with " + MEDIA_MODE.key() + " external");
            } else if (!external && servers) {
                errors.add(MEDIA_SERVERS.key() + " is only used with " + MEDIA_MODE.key() + " external (it is "
                        + config.get(MEDIA_MODE) + ")");
            }
            if (config.get(MEDIA_TLS) && !external) {
                errors.add(MEDIA_TLS.key() + " is only used with " + MEDIA_MODE.key() + " external");
            }
            if (all.containsKey(MEDIA_TLS_CA.key()) && !config.get(MEDIA_TLS)) {
                errors.add(MEDIA_TLS_CA.key() + " is only used with " + MEDIA_TLS.key() + " true");
            }
            adminErrors(config, errors);
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return config;
        }

        /** A TLS or WSS listen point needs the certificate and key it serves; they go together. */
        private static Optional<String> tlsProblems(ContainerConfig config) {
            boolean cert = config.find(TLS_CERT).isPresent();
            boolean key = config.find(TLS_KEY).isPresent();
            if (cert != key) {
                return Optional.of(TLS_CERT.key() + " and " + TLS_KEY.key() + " go together: set both (PEM certificate and"
                        + " PKCS#8 key), or neither");
            }
            if (config.find(TLS_CHAIN).isPresent() && !cert) {
                return Optional.of(TLS_CHAIN.key() + " goes with " + TLS_CERT.key() + " and " + TLS_KEY.key());
            }
            if (cert) {
                return Optional.empty();
            }
            return config.get(CONTACTS).stream()
                    .filter(c -> ListenPoint.parseContact(c.matches("(?i)sips?:.*") ? c : "sip:" + c).stream()
                            .anyMatch(p -> p.transport().isSecure()))
                    .findFirst()
                    .map(c -> CONTACTS.key() + " names the secure listen point " + c + ", which needs a certificate: set "
                            + TLS_CERT.key() + " and " + TLS_KEY.key() + " (PEM files; the key PKCS#8, e.g. from openssl"
                            + " pkcs8 -topk8 -nocrypt), or drop the tls/wss listen point");
        }

        private static void adminErrors(ContainerConfig config, List<String> errors) {
            Optional<String> token = config.find(ADMIN_TOKEN);
            if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
                errors.add(ADMIN_TOKEN.key() + " is " + token.get().length() + " characters: at least " + MIN_TOKEN_LENGTH
                        + " are required");
            }
            Optional<InetSocketAddress> listen = config.get(ADMIN_LISTEN);
            if (listen.isPresent() && token.isEmpty() && !loopback(listen.get().getHostString())) {
                errors.add(ADMIN_LISTEN.key() + " " + listen.get().getHostString() + ":" + listen.get().getPort()
                        + " is not a loopback address: set " + ADMIN_TOKEN.key() + " (a generated token is for loopback only)");
            }
        }

        private static boolean loopback(String host) {
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        private static boolean isApplicationKey(String key) {
            Matcher m = APP_KEY.matcher(key);
            return m.matches() && ROUTING_KEYS.contains(m.group(2));
        }

        private static void checkApplication(String key, String value) {
            try {
                if (key.endsWith(".priority")) {
                    Integer.parseInt(value);
                } else if (key.endsWith(".user") || key.endsWith(".host")) {
                    Pattern.compile(value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not an integer");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not a regular expression: " + e.getDescription());
            }
        }
    }
}
