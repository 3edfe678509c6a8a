package org.switchboard.drachtio.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Which app connections asked for which verb (a lower-case SIP method or a CDR type), and a round-robin offset per
 * verb (docs/drachtio.md). Registering a verb twice doubles the connection's weight, as drachtio-server does.
 */
final class RouteTable {

    private record Verb(List<AppConnection> apps, AtomicInteger next) {
    }

    private final Map<String, Verb> verbs = new ConcurrentHashMap<>();

    void add(String verb, AppConnection app) {
        verbs.computeIfAbsent(normalize(verb), v -> new Verb(new CopyOnWriteArrayList<>(), new AtomicInteger()))
                .apps().add(app);
    }

    /** Removes one registration of {@code verb} (drachtio-server would remove every verb: a quirk not copied). */
    void remove(String verb, AppConnection app) {
        Verb v = verbs.get(normalize(verb));
        if (v != null) {
            v.apps().remove(app);
        }
    }

    void removeAll(AppConnection app) {
        verbs.values().forEach(v -> v.apps().removeIf(a -> a == app));
    }

    /** The next live connection registered for {@code verb} that {@code filter} accepts, round-robin. */
    Optional<AppConnection> next(String verb, Predicate<AppConnection> filter) {
        Verb v = verbs.get(normalize(verb));
        if (v == null) {
            return Optional.empty();
        }
        List<AppConnection> apps = v.apps();
        int size = apps.size();
        int start = v.next().getAndIncrement();
        for (int i = 0; i < size; i++) {
            AppConnection app;
            try {
                app = apps.get(Math.floorMod(start + i, size));
            } catch (IndexOutOfBoundsException e) {
                break; // a registration went away while we scanned
            }
            if (app.isActive() && filter.test(app)) {
                return Optional.of(app);
            }
        }
        return Optional.empty();
    }

    /** How many live registrations of {@code verb} there are, a connection that registered it twice counting twice. */
    int registrations(String verb) {
        Verb v = verbs.get(normalize(verb));
        return v == null ? 0 : (int) v.apps().stream().filter(AppConnection::isActive).count();
    }

    private static String normalize(String verb) {
        return verb.toLowerCase(Locale.ROOT);
    }
}
