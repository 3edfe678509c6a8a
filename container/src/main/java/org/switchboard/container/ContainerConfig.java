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
import org.switchboard.sip.stack.transaction.TimerConfig;

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
    static final Setting<InetSocketAddress> LISTEN = Setting.of("drachtio.listen", Setting.ADDRESS, DEFAULT_LISTEN,
            "outbound: where the server connects");
    static final Setting<String> SECRET = Setting.optional("drachtio.secret", Setting.TEXT, "none",
            "required with an external server; '" + DrachtioClientConfig.EXAMPLE_SECRET + "' only on loopback");
    static final Setting<List<String>> CONTACTS = Setting.of("sip.contacts", Setting.CONTACTS, List.of(DEFAULT_CONTACT),
            "embedded: the SIP listen points (drachtio --contact syntax)");
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
            "a request no application answered gets 480 after this");
    static final Setting<Boolean> HEALTH_OPTIONS = Setting.of("health.options", Setting.BOOLEAN, true,
            "answer an OPTIONS to the node itself (no user) that no application takes: 200 while taking calls, 503 while"
                    + " draining or with no application");
    static final Setting<Duration> SHUTDOWN_DRAIN = Setting.of("shutdown.drain", Setting.SECONDS, DEFAULT_SHUTDOWN_DRAIN,
            "on stop (SIGTERM): how long calls in progress may go on before they get BYE");

    static final Setting<String> MEDIA_MODE = Setting.choice("media.mode", List.of("embedded", "external", "none"), "embedded",
            "embedded: start the embedded media server in this process; external: use media.servers (FreeSWITCH);"
                    + " none: no media for applications");
    static final Setting<List<Setting.EventSocket>> MEDIA_SERVERS = Setting.optional("media.servers", Setting.EVENT_SOCKETS,
            "none", "external: the media servers' event sockets (the password follows the port)");
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

    static final Setting<Boolean> METRICS = Setting.of("metrics.enabled", Setting.BOOLEAN, true,
            "keep the Prometheus metrics every part records (served at /metrics on the admin listener); false: record"
                    + " into nothing");

    /** Every setting, in the order {@code --help} lists them. */
    static final List<Setting<?>> SETTINGS = List.of(MODE, HOST, PORT, LISTEN, SECRET, CONTACTS, T1, CDRS, DEPLOYMENTS, WORK,
            SCAN, REDEPLOY_DRAIN, ANSWER_TIMEOUT, HEALTH_OPTIONS, SHUTDOWN_DRAIN, MEDIA_MODE, MEDIA_SERVERS, MEDIA_DEADLINE,
            MEDIA_LISTEN, MEDIA_EVENTS, MEDIA_SOUNDS, METRICS);

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
            boolean external = config.get(MEDIA_MODE).equals("external");
            boolean servers = all.containsKey(MEDIA_SERVERS.key()); // a bad value is reported once, above
            if (external && !servers) {
                errors.add(MEDIA_SERVERS.key() + " is required with " + MEDIA_MODE.key() + " external");
            } else if (!external && servers) {
                errors.add(MEDIA_SERVERS.key() + " is only used with " + MEDIA_MODE.key() + " external (it is "
                        + config.get(MEDIA_MODE) + ")");
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return config;
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
