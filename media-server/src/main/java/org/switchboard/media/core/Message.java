package org.switchboard.media.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A private command for one channel, as {@code sendmsg} carries it: headers (names case-insensitive) and a body.
 */
public final class Message {

    private final Map<String, String> headers;
    private final String body;

    /** A message of these headers (first value of each name kept) and body. */
    public Message(Map<String, String> headers, String body) {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach(h::putIfAbsent);
        this.headers = Collections.unmodifiableMap(h);
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A header's value. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** All headers. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body (an argument too long or multi-line for a header), empty when none. */
    public String body() {
        return body;
    }
}
