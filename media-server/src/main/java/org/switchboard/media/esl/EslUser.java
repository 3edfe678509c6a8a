package org.switchboard.media.esl;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A user who may log in to the event socket with {@code userauth user@domain:password} (FreeSWITCH finds such
 * users in its directory), and what that login may do afterwards, as the directory parameters
 * {@code esl-allowed-events}, {@code esl-allowed-api} and {@code esl-allowed-log} say: the event names (and
 * {@code CUSTOM} subclasses) it may subscribe to, the api commands it may run with {@code api} and {@code bgapi},
 * and whether it may read the log. An empty set of events or commands means all of them.
 *
 * @param id user@domain
 * @param password what {@code userauth} must give
 * @param allowedEvents event names in upper case and subclass names as written; empty: all
 * @param allowedApi api command names; empty: all
 * @param allowedLog whether {@code log} is allowed
 */
public record EslUser(String id, String password, Set<String> allowedEvents, Set<String> allowedApi, boolean allowedLog) {

    // commands that run another command line: FreeSWITCH checks the one inside too
    private static final Set<String> WRAPPERS = Set.of("bgapi", "sched_api", "eval", "expand", "xml_wrap");

    public EslUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(password, "password");
        if (!id.matches("[^@:\\s]+@[^@:\\s]+")) {
            throw new IllegalArgumentException("an event socket user is user@domain, was '" + id + "'");
        }
        if (password.isEmpty() || password.contains("\n")) {
            throw new IllegalArgumentException("the password of " + id + " must be non-empty and one line");
        }
        allowedEvents = allowedEvents.stream().map(e -> e.contains("::") ? e : e.toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        allowedApi = Set.copyOf(allowedApi);
    }

    /** A user who may do everything a password login may. */
    public static EslUser of(String id, String password) {
        return new EslUser(id, password, Set.of(), Set.of(), true);
    }

    /** The same user, allowed only these events ({@code ALL} or nothing: every event). */
    public EslUser withAllowedEvents(Collection<String> events) {
        return new EslUser(id, password, all(events) ? Set.of() : Set.copyOf(events), allowedApi, allowedLog);
    }

    /** The same user, allowed only these api commands ({@code all} or nothing: every command). */
    public EslUser withAllowedApi(Collection<String> commands) {
        return new EslUser(id, password, allowedEvents, all(commands) ? Set.of() : Set.copyOf(commands), allowedLog);
    }

    /** The same user, allowed to read the log or not. */
    public EslUser withAllowedLog(boolean allowed) {
        return new EslUser(id, password, allowedEvents, allowedApi, allowed);
    }

    /**
     * Reads a list as the directory writes it: names separated by spaces when there is a space, else by commas.
     */
    public static Set<String> list(String value) {
        String separator = value.contains(" ") ? " +" : ",";
        return Arrays.stream(value.strip().split(separator)).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean all(Collection<String> names) {
        return names.isEmpty() || names.stream().anyMatch(n -> n.equalsIgnoreCase("all"));
    }

    /** Whether this user may subscribe to {@code name} (an event name, {@code ALL}, or a CUSTOM subclass). */
    boolean mayReceive(String name) {
        return allowedEvents.isEmpty() || allowedEvents.contains(name.contains("::") ? name : name.toUpperCase(Locale.ROOT));
    }

    /** Whether this user may run an api command line, looking through the commands that run other commands. */
    boolean mayRun(String commandLine) {
        if (allowedApi.isEmpty()) {
            return true;
        }
        String rest = commandLine.strip();
        while (true) {
            String[] first = rest.split("\\s+", 2);
            if (!allowedApi.contains(first[0])) {
                return false;
            }
            if (!WRAPPERS.contains(first[0].toLowerCase(Locale.ROOT)) || first.length < 2) {
                return true;
            }
            rest = first[1].strip();
        }
    }

    /** The reply headers a userauth login gets: what it may do. */
    String grants() {
        return "Allowed-Events: " + (allowedEvents.isEmpty() ? "all" : String.join(" ", new java.util.TreeSet<>(allowedEvents)))
                + "\nAllowed-API: " + (allowedApi.isEmpty() ? "all" : String.join(" ", new java.util.TreeSet<>(allowedApi)))
                + "\nAllowed-LOG: " + allowedLog + "\n";
    }

    @Override
    public String toString() {
        return "EslUser[" + id + "]"; // never the password
    }
}
