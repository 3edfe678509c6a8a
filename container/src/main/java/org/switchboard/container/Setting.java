package org.switchboard.container;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.switchboard.sip.stack.transport.ListenPoint;

/**
 * One container setting, declared once: its key, the type of its value (which says the unit), its default and
 * what it means. The same declaration parses and checks a value and writes the {@code --help} line.
 *
 * @param <T> the value's type
 */
final class Setting<T> {

    /**
     * What a value is: the words for it (with its unit) and an example, how to read one and how to show one.
     *
     * @param <T> the value's type
     * @param what {@code "a duration in milliseconds"}
     * @param example a valid value, empty when none helps
     * @param parser reads a value; an {@link IllegalArgumentException} (its message, if any, says why) when it is not one
     * @param format writes a value the parser reads back
     */
    record Type<T>(String what, String example, Function<String, T> parser, Function<T, String> format) {

        /** {@code what} and the example, as a message says it. */
        String described() {
            return example.isEmpty() ? what : what + " (e.g. " + example + ")";
        }


        /** Reads {@code raw}; {@link IllegalArgumentException} with a reason when it is not a {@code what}. */
        T parse(String raw) {
            return parser.apply(raw);
        }
    }

    /** A duration in milliseconds, at least 1 ms. */
    static final Type<Duration> MILLIS = new Type<>("a duration in milliseconds", "500",
            raw -> positive(Duration.ofMillis(number(raw)), "ms"), d -> Long.toString(d.toMillis()));
    /** A duration in whole seconds, at least 1 s. */
    static final Type<Duration> SECONDS = new Type<>("a duration in seconds", "30",
            raw -> positive(Duration.ofSeconds(number(raw)), "s"), d -> Long.toString(d.toSeconds()));
    /** A size in bytes, at least 64 KiB. */
    static final Type<Integer> BYTES = new Type<>("a size in bytes (at least 65536)", "8388608", raw -> {
        long n = number(raw);
        if (n < 1 << 16 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException();
        }
        return (int) n;
    }, String::valueOf);
    /** A TCP or UDP port number. */
    static final Type<Integer> PORT = new Type<>("a port number (0..65535)", "", Setting::port, String::valueOf);
    /** {@code true} or {@code false}. */
    static final Type<Boolean> BOOLEAN = new Type<>("true or false", "", raw -> switch (raw.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException();
    }, String::valueOf);
    /** Any text. */
    static final Type<String> TEXT = new Type<>("text", "", raw -> raw, s -> s);
    /** A file system path. */
    static final Type<Path> PATH = new Type<>("a file system path", "", Setting::path, Path::toString);
    /** {@code host:port}, not resolved. */
    static final Type<InetSocketAddress> ADDRESS = new Type<>("a host:port address", "127.0.0.1:9023", Setting::address,
            a -> a.getHostString() + ":" + a.getPort());
    /** {@code host:port} addresses, not resolved, comma separated. */
    static final Type<List<InetSocketAddress>> ADDRESSES = new Type<>("host:port addresses, comma separated",
            "10.0.0.7:9022,10.0.0.8:9022", raw -> Arrays.stream(raw.split("\\s*,\\s*")).map(Setting::address).toList(),
            l -> String.join(",", l.stream().map(ADDRESS.format()).toList()));
    /** drachtio {@code --contact} listen points, comma separated. */
    static final Type<List<String>> CONTACTS = new Type<>("SIP listen points, comma separated",
            "sip:127.0.0.1:5060;transport=udp,tcp",
            Setting::contacts, l -> String.join(",", l));

    /** {@code host:port}, not resolved, or {@code off}. */
    static final Type<Optional<InetSocketAddress>> ADDRESS_OR_OFF = new Type<>("a host:port address, or off", "127.0.0.1:8880",
            raw -> raw.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(address(raw)),
            a -> a.map(ADDRESS.format()).orElse("off"));
    /** A whole number, 0 or more. */
    static final Type<Integer> COUNT = new Type<>("a whole number (0 or more)", "", raw -> {
        long n = number(raw);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException();
        }
        return (int) n;
    }, String::valueOf);

    /** Event subclasses ({@code conference::maintenance}), comma separated. */
    static final Type<List<String>> SUBCLASSES = new Type<>("event subclasses, comma separated",
            "conference::maintenance,sofia::register", Setting::subclasses, l -> String.join(",", l));

    /**
     * An external media server's event socket: where it is and its password.
     *
     * @param address host and port, not resolved
     * @param password the event socket password
     */
    record EventSocket(InetSocketAddress address, String password) {
        /** The address only: a password is never written out. */
        @Override
        public String toString() {
            return address.getHostString() + ":" + address.getPort();
        }
    }

    /** Media servers' event sockets, {@code host:port:password} each, comma separated. */
    static final Type<List<EventSocket>> EVENT_SOCKETS = new Type<>(
            "event sockets host:port:password, comma separated", "10.0.0.5:8021:s3cret,[fd00::6]:8021:s3cret",
            Setting::eventSockets, l -> String.join(",", l.stream().map(e -> e + ":" + e.password()).toList()));

    private final String key;
    private final Type<T> type;
    private final Optional<T> defaultValue;
    private final String defaultText;
    private final String description;

    private Setting(String key, Type<T> type, Optional<T> defaultValue, String defaultText, String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
    }

    /** A setting whose default is {@code defaultValue}. */
    static <T> Setting<T> of(String key, Type<T> type, T defaultValue, String description) {
        return new Setting<>(key, type, Optional.of(defaultValue), type.format.apply(defaultValue), description);
    }

    /** A setting with no fixed default ({@code defaultText} says what happens when it is absent). */
    static <T> Setting<T> optional(String key, Type<T> type, String defaultText, String description) {
        return new Setting<>(key, type, Optional.empty(), defaultText, description);
    }

    /** One of {@code choices}, lower case. */
    static Setting<String> choice(String key, List<String> choices, String defaultValue, String description) {
        String what = "one of " + String.join(", ", choices);
        Type<String> type = new Type<>(what, "", raw -> {
            String v = raw.toLowerCase(Locale.ROOT);
            if (!choices.contains(v)) {
                throw new IllegalArgumentException();
            }
            return v;
        }, s -> s);
        return new Setting<>(key, type, Optional.of(defaultValue), defaultValue, description);
    }

    String key() {
        return key;
    }

    Type<T> type() {
        return type;
    }

    Optional<T> defaultValue() {
        return defaultValue;
    }

    String defaultText() {
        return defaultText;
    }

    String description() {
        return description;
    }

    /**
     * Reads {@code raw} (already trimmed).
     *
     * @throws IllegalArgumentException naming the key, the value and what was expected
     */
    T parse(String raw) {
        try {
            return type.parse(raw);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null || e instanceof NumberFormatException ? "" : ": " + e.getMessage();
            String shown = type == EVENT_SOCKETS // never a password in a message
                    ? String.join(",", java.util.Arrays.stream(raw.split("\\s*,\\s*")).map(Setting::hidePassword).toList()) : raw;
            throw new IllegalArgumentException(key + ": '" + shown + "' is not " + type.described() + why);
        }
    }

    private static long number(String raw) {
        return Long.parseLong(raw); // NumberFormatException: the setting's message says what a value is
    }

    private static Duration positive(Duration d, String unit) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("it must be at least 1 " + unit);
        }
        return d;
    }

    private static int port(String raw) {
        long p = number(raw);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException();
        }
        return (int) p;
    }

    private static Path path(String raw) {
        try {
            return Path.of(raw);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getReason());
        }
    }

    private static InetSocketAddress address(String raw) {
        int colon = raw.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("no port");
        }
        String host = raw.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return InetSocketAddress.createUnresolved(host, port(raw.substring(colon + 1)));
    }

    private static List<EventSocket> eventSockets(String raw) {
        List<EventSocket> result = new java.util.ArrayList<>();
        for (String one : raw.split("\\s*,\\s*")) {
            // the password is what follows the port: it may hold colons, not commas
            int portStart = one.startsWith("[") ? one.indexOf("]:") + 2 : one.indexOf(':') + 1;
            int passwordStart = portStart < 2 ? -1 : one.indexOf(':', portStart);
            if (passwordStart < 0 || passwordStart == one.length() - 1) {
                throw new IllegalArgumentException("'" + hidePassword(one) + "' has no password");
            }
            result.add(new EventSocket(address(one.substring(0, passwordStart)), one.substring(passwordStart + 1)));
        }
        return List.copyOf(result);
    }

    private static String hidePassword(String entry) {
        int port = entry.startsWith("[") ? entry.indexOf("]:") + 2 : entry.indexOf(':') + 1;
        int colon = port < 2 ? -1 : entry.indexOf(':', port);
        return colon < 0 ? entry : entry.substring(0, colon) + ":***";
    }

    private static List<String> subclasses(String raw) {
        List<String> subclasses = Arrays.stream(raw.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
        for (String subclass : subclasses) {
            if (!subclass.matches("[A-Za-z0-9_:.-]+")) {
                throw new IllegalArgumentException("bad event subclass " + subclass);
            }
        }
        return subclasses;
    }

    private static List<String> contacts(String raw) {
        List<String> contacts = Arrays.stream(raw.split("\\s*,\\s*(?=sips?:)")).map(String::trim).toList();
        for (String contact : contacts) {
            try {
                // the syntax only: whether a TLS listen point has its certificate is checked with sip.tls.* together
                ListenPoint.parseContact(contact.matches("(?i)sips?:.*") ? contact : "sip:" + contact);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad listen point " + contact + ": " + e.getMessage());
            }
        }
        return contacts;
    }

    @Override
    public String toString() {
        return key;
    }
}
