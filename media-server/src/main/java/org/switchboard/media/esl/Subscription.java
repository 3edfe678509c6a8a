package org.switchboard.media.esl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.switchboard.esl.event.EslEvent;

/**
 * One connection's event subscription: event names and CUSTOM subclasses, filters (OR of positive
 * filters, any matching negative one vetoes, {@code /regex/} values), and the {@code myevents} restriction.
 * Guarded by the connection: mutated on its event loop, read by the firing threads under its lock.
 */
final class Subscription {

    static final Set<String> EVENT_NAMES = Set.of("CUSTOM", "CLONE", "CHANNEL_CREATE", "CHANNEL_DESTROY",
            "CHANNEL_STATE", "CHANNEL_CALLSTATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE",
            "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HOLD", "CHANNEL_UNHOLD", "CHANNEL_BRIDGE",
            "CHANNEL_UNBRIDGE", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA", "CHANNEL_OUTGOING", "CHANNEL_PARK",
            "CHANNEL_UNPARK", "CHANNEL_APPLICATION", "CHANNEL_ORIGINATE", "CHANNEL_UUID", "API", "LOG", "INBOUND_CHAN",
            "OUTBOUND_CHAN", "STARTUP", "SHUTDOWN", "PUBLISH", "UNPUBLISH", "TALK", "NOTALK", "SESSION_CRASH",
            "MODULE_LOAD", "MODULE_UNLOAD", "DTMF", "MESSAGE", "PRESENCE_IN", "NOTIFY_IN", "PRESENCE_OUT",
            "PRESENCE_PROBE", "MESSAGE_WAITING", "MESSAGE_QUERY", "ROSTER", "CODEC", "BACKGROUND_JOB",
            "DETECTED_SPEECH", "DETECTED_TONE", "PRIVATE_COMMAND", "HEARTBEAT", "TRAP", "ADD_SCHEDULE", "DEL_SCHEDULE",
            "EXE_SCHEDULE", "RE_SCHEDULE", "RELOADXML", "NOTIFY", "PHONE_FEATURE", "PHONE_FEATURE_SUBSCRIBE",
            "SEND_MESSAGE", "RECV_MESSAGE", "REQUEST_PARAMS", "CHANNEL_DATA", "GENERAL", "COMMAND",
            "SESSION_HEARTBEAT", "CLIENT_DISCONNECTED", "SERVER_DISCONNECTED", "SEND_INFO", "RECV_INFO",
            "RECV_RTCP_MESSAGE", "SEND_RTCP_MESSAGE", "CALL_SECURE", "NAT", "RECORD_START", "RECORD_STOP",
            "PLAYBACK_START", "PLAYBACK_STOP", "CALL_UPDATE", "FAILURE", "SOCKET_DATA", "MEDIA_BUG_START",
            "MEDIA_BUG_STOP", "CONFERENCE_DATA_QUERY", "CONFERENCE_DATA", "CALL_SETUP_REQ", "CALL_SETUP_RESULT",
            "CALL_DETAIL", "DEVICE_STATE", "TEXT", "SHUTDOWN_REQUESTED", "CERT_RELOAD", "ALL");

    static final List<String> MYEVENTS = List.of("CHANNEL_ANSWER", "CHANNEL_APPLICATION", "CHANNEL_BRIDGE",
            "CHANNEL_CREATE", "CHANNEL_DATA", "CHANNEL_DESTROY", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE",
            "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_ORIGINATE", "CHANNEL_UUID", "CHANNEL_OUTGOING",
            "CHANNEL_PARK", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA", "CHANNEL_STATE", "CHANNEL_UNBRIDGE",
            "CHANNEL_UNPARK", "DETECTED_SPEECH", "DTMF", "NOTALK", "TALK");

    private record Filter(String header, String value, boolean negative, Pattern regex) {
        boolean matches(String actual) {
            return regex != null ? regex.matcher(actual).find() : actual.equalsIgnoreCase(value);
        }
    }

    private final Set<String> events = new HashSet<>();
    private final Set<String> subclasses = new HashSet<>();
    private final List<Filter> filters = new ArrayList<>();
    private String myUuid;

    /** Adds names from {@code event}'s tokens; returns whether any was taken. */
    boolean add(List<String> tokens) {
        boolean custom = false;
        boolean any = false;
        for (String token : tokens) {
            if (custom) {
                subclasses.add(token);
                any = true;
                continue;
            }
            String name = normalize(token);
            if (name.equals("CUSTOM")) {
                custom = true;
                events.add(name);
                any = true;
            } else if (EVENT_NAMES.contains(name)) {
                events.add(name);
                any = true;
            }
        }
        return any;
    }

    /** Removes names ({@code nixevent}). */
    void remove(List<String> tokens) {
        boolean custom = false;
        for (String token : tokens) {
            if (custom) {
                subclasses.remove(token);
                continue;
            }
            String name = normalize(token);
            if (name.equals("CUSTOM")) {
                custom = true;
            } else if (name.equals("ALL")) {
                events.clear();
                subclasses.clear();
            } else {
                events.remove(name);
            }
        }
    }

    /** Forgets every subscription ({@code noevents}); returns whether there was one. */
    boolean clear() {
        boolean had = !events.isEmpty() || !subclasses.isEmpty();
        events.clear();
        subclasses.clear();
        return had;
    }

    boolean listening() {
        return !events.isEmpty() || !subclasses.isEmpty();
    }

    /** FreeSWITCH takes any 13-character prefix (SWITCH_EVENT_) before a name. */
    private static String normalize(String token) {
        String name = token.toUpperCase(Locale.ROOT);
        if (!EVENT_NAMES.contains(name) && name.length() > 13 && EVENT_NAMES.contains(name.substring(13))) {
            return name.substring(13);
        }
        return name;
    }

    void myevents(String uuid) {
        myUuid = uuid;
        events.addAll(MYEVENTS);
    }

    boolean hasMyevents() {
        return myUuid != null;
    }

    /** Adds a filter; a value {@code /re/flags} is a regular expression, a leading {@code -} makes it negative. */
    void filter(String header, String value) {
        boolean negative = false;
        String v = value;
        if (v.startsWith("-") || v.startsWith("+")) {
            negative = v.startsWith("-");
            v = v.substring(1);
        }
        Pattern regex = null;
        int close = v.lastIndexOf('/');
        if (v.startsWith("/") && close > 0) {
            String flags = v.substring(close + 1);
            regex = Pattern.compile(v.substring(1, close), (flags.contains("i") ? Pattern.CASE_INSENSITIVE : 0)
                    | (flags.contains("s") ? Pattern.DOTALL : 0));
        }
        filters.add(new Filter(header, v, negative, regex));
    }

    /** Removes filters: of that header and value, of that header, or {@code all}. */
    void unfilter(String header, Optional<String> value) {
        if (header.equalsIgnoreCase("all") && value.isEmpty()) {
            filters.clear();
            return;
        }
        filters.removeIf(f -> f.header.equalsIgnoreCase(header)
                && value.map(v -> v.equals(f.value) || v.equals("-" + f.value) || v.equals("+" + f.value)).orElse(true));
    }

    /**
     * The channels outside which nothing passes (empty: no such limit), for the core's event index: the
     * {@code myevents} channel, or the values of the filters when all positive filters are plain Unique-ID ones.
     */
    Set<String> channels() {
        if (myUuid != null) {
            return Set.of(myUuid);
        }
        Set<String> values = new HashSet<>();
        for (Filter f : filters) {
            if (f.negative) {
                continue;
            }
            if (f.regex != null || !f.header.equalsIgnoreCase("Unique-ID")) {
                return Set.of();
            }
            values.add(f.value);
        }
        return values;
    }

    /** Whether {@code event} goes to this connection. */
    boolean accepts(EslEvent event) {
        String name = event.eventName();
        boolean wanted = events.contains("ALL")
                || (name.equals("CUSTOM") ? event.eventSubclass().map(subclasses::contains).orElse(false)
                : events.contains(name));
        if (!wanted) {
            return false;
        }
        if (!filters.isEmpty()) {
            // as mod_event_socket: nothing passes unless a positive filter matches; a matching negative one vetoes
            boolean pass = false;
            for (Filter f : filters) {
                Optional<String> actual = event.header(f.header);
                if (actual.isEmpty() || !f.matches(actual.get())) {
                    continue;
                }
                if (f.negative) {
                    return false;
                }
                pass = true;
            }
            if (!pass) {
                return false;
            }
        }
        if (myUuid != null) {
            if (name.equals("BACKGROUND_JOB")) {
                return event.header("Job-Owner-UUID").map(myUuid::equals).orElse(false);
            }
            return event.uniqueId().map(myUuid::equals).orElse(false);
        }
        return true;
    }
}
