package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.switchboard.esl.EslException;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaException;

/** Turns the event socket's events and failures into the media API's. */
final class Events {

    private Events() {
    }

    /** The API's immutable copy of an event. */
    static EslEvent toApi(org.switchboard.esl.event.EslEvent event) {
        List<EslEvent.Header> headers = new ArrayList<>();
        for (org.switchboard.esl.event.EslEvent.Header h : event.headers()) {
            headers.add(new EslEvent.Header(h.name(), h.value()));
        }
        Optional<String> subclass = event.eventName().equals("CUSTOM") ? event.eventSubclass() : Optional.empty();
        return new EslEvent(event.eventName(), subclass, headers, event.body());
    }

    /**
     * The media failure for an event socket failure of {@code operation}; {@code hangupCause} is the channel's, or
     * null while it is up (a closed connection then means the connection was lost).
     */
    static MediaException failure(String operation, Throwable error, String hangupCause) {
        Throwable e = unwrap(error);
        if (e instanceof MediaException m) {
            return m;
        }
        if (hangupCause != null) {
            return hungUp(operation, hangupCause);
        }
        if (e instanceof EslException.Timeout) {
            return new MediaException.Timeout(operation + ": " + e.getMessage());
        }
        if (e instanceof EslException.ConnectionClosed) {
            return new MediaException.ConnectionLost(operation + ": the event socket connection was lost", e);
        }
        return new MediaException(operation + ": " + e.getMessage(), e);
    }

    /** The failure a stage completed with, without the {@code CompletionException} around it. */
    static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    static MediaException.HungUp hungUp(String operation, String cause) {
        return new MediaException.HungUp(operation + ": the channel hung up (" + cause + ")");
    }

    /** The headers of a {@code uuid_dump <uuid> json} reply by name, in order. */
    static java.util.Map<String, String> dump(String json) {
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (org.switchboard.esl.event.EslEvent.Header h : org.switchboard.esl.event.EslEvent.fromJson(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).headers()) {
            variables.put(h.name(), h.value());
        }
        return variables;
    }

    /** An integer variable of a completion event, 0 when absent or not a number. */
    static long number(org.switchboard.esl.event.EslEvent event, String variable) {
        return number(event.variable(variable).orElse("0"));
    }

    /** An integer header value, 0 when it is not a number. */
    static long number(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
