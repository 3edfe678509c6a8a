package org.switchboard.sip.media;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event of the media server as applications see it: its name, its subclass when it is a {@code CUSTOM} event,
 * its headers in order (values decoded) and its body.
 *
 * @param name the Event-Name ({@code CHANNEL_EXECUTE_COMPLETE}, {@code DTMF}, {@code CUSTOM}, ...)
 * @param subclass the Event-Subclass of a {@code CUSTOM} event ({@code conference::maintenance}), else empty
 * @param headers every header in the order received
 * @param body the body, empty when there is none
 */
public record EslEvent(String name, Optional<String> subclass, List<Header> headers, String body) {

    /** One header. */
    public record Header(String name, String value) {
        /** Checks both are present. */
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Copies the header list so the event stays immutable. */
    public EslEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subclass, "subclass");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The first header of that name (case-insensitive). */
    public Optional<String> header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** A channel variable carried by the event ({@code variable_<name>}). */
    public Optional<String> variable(String name) {
        return header("variable_" + name);
    }
}
