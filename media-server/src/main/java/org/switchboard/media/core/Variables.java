package org.switchboard.media.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A channel's variables and the expansion of {@code ${name}} in application arguments. Set and read from the channel
 * thread, api commands and event building on other threads: every access holds the map's monitor, briefly.
 */
final class Variables {

    private final Core core;
    private final Map<String, String> values = new LinkedHashMap<>();

    Variables(Core core) {
        this.core = core;
    }

    void set(String name, String value) {
        synchronized (values) {
            if (value == null || value.isEmpty()) {
                values.remove(name);
            } else {
                values.put(name, value);
            }
        }
    }

    Optional<String> get(String name) {
        synchronized (values) {
            return Optional.ofNullable(values.get(name));
        }
    }

    Map<String, String> snapshot() {
        synchronized (values) {
            return new LinkedHashMap<>(values);
        }
    }

    /** See {@link Channel#expand}. */
    String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            boolean global = text.startsWith("$${", i);
            if (global || text.startsWith("${", i)) {
                int open = i + (global ? 3 : 2);
                int close = text.indexOf('}', open);
                if (close > 0) {
                    String key = text.substring(open, close);
                    Optional<String> value = global ? core.global(key) : get(key).or(() -> core.global(key));
                    out.append(value.orElse(""));
                    i = close + 1;
                    continue;
                }
            }
            out.append(text.charAt(i++));
        }
        return out.toString();
    }
}
