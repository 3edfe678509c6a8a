package org.switchboard.samples.registrar;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where each user can be reached: the contacts registered for an address-of-record (its user name), until they expire. */
@ApplicationScoped
public class LocationService {

    private final Map<String, Map<String, Long>> bindings = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** Binds {@code contact} to {@code user} for {@code seconds}; 0 removes the binding. */
    public void bind(String user, String contact, int seconds) {
        Map<String, Long> contacts = bindings.computeIfAbsent(user, u -> new ConcurrentHashMap<>());
        if (seconds <= 0) {
            contacts.remove(contact);
        } else {
            contacts.put(contact, clock.millis() + seconds * 1000L);
        }
    }

    /** The live contacts of {@code user}. */
    public List<String> lookup(String user) {
        Map<String, Long> contacts = bindings.getOrDefault(user, Map.of());
        long now = clock.millis();
        contacts.values().removeIf(expiry -> expiry <= now);
        return contacts.keySet().stream().sorted().toList();
    }
}
