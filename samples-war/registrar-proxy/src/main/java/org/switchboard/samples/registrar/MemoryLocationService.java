package org.switchboard.samples.registrar;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The bindings in this node's memory: what one node alone needs. */
final class MemoryLocationService implements LocationService {

    private final Map<String, Map<String, Long>> bindings = new ConcurrentHashMap<>();
    private final Clock clock;

    MemoryLocationService(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void bind(String user, String contact, int seconds) {
        Map<String, Long> contacts = bindings.computeIfAbsent(user, u -> new ConcurrentHashMap<>());
        if (seconds <= 0) {
            contacts.remove(contact);
        } else {
            contacts.put(contact, clock.millis() + seconds * 1000L);
        }
    }

    @Override
    public List<Binding> bindings(String user) {
        Map<String, Long> contacts = bindings.getOrDefault(user, Map.of());
        long now = clock.millis();
        contacts.values().removeIf(expiry -> expiry <= now);
        return contacts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Binding(e.getKey(), secondsLeft(e.getValue(), now))).toList();
    }

    /** The whole seconds from {@code now} to {@code expiry} (epoch milliseconds), rounded up. */
    static int secondsLeft(long expiry, long now) {
        return (int) Math.max(1, (expiry - now + 999) / 1000);
    }
}
