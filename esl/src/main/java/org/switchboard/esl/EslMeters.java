package org.switchboard.esl;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.switchboard.metrics.PeerMeters;

/**
 * A session's meters (docs/operations.md): each command's latency by its verb and outcome (so errors and timeouts
 * are counted by the same timer), and for an inbound client whether its connection is up and how often it was lost.
 * The verb is matched in place, never cut out of the command line.
 */
final class EslMeters {

    /** How a command ended. */
    enum Outcome {
        /** A {@code +OK} reply, or an API command's output. */
        OK,
        /** A {@code -ERR} reply. */
        ERROR,
        /** No reply within the command's deadline. */
        TIMEOUT,
        /** The connection closed first. */
        CLOSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    // the event socket's commands; any other is counted as "other"
    private static final List<String> VERBS = List.of("api", "bgapi", "sendmsg", "event", "filter", "nixevent", "noevents",
            "myevents", "divert_events", "sendevent", "auth", "userauth", "connect", "linger", "nolinger", "resume", "log",
            "nolog", "exit", "other");
    private static final PeerMeters.Names NAMES = new PeerMeters.Names("esl.client", "peer", "the event socket",
            "esl.commands", "Event socket commands from sending to their reply, by command and outcome", VERBS,
            Arrays.stream(Outcome.values()).map(o -> o.label).toList());

    private final PeerMeters meters;

    EslMeters(MeterRegistry registry) {
        this.meters = new PeerMeters(registry, NAMES);
    }

    /** The index of a command line's verb in {@link #VERBS}. */
    static int verb(String commandLine) {
        for (int i = 0; i < VERBS.size() - 1; i++) {
            String v = VERBS.get(i);
            if (commandLine.startsWith(v) && (commandLine.length() == v.length() || commandLine.charAt(v.length()) == ' ')) {
                return i;
            }
        }
        return VERBS.size() - 1;
    }

    /** Adds an inbound client's own meters, for its connection to {@code peer}. */
    void connection(String peer, BooleanSupplier up) {
        meters.connection(peer, up);
    }

    void reconnecting() {
        meters.reconnecting();
    }

    /** Records a command's latency; {@code verb} from {@link #verb}. */
    void completed(int verb, Outcome outcome, long startedNanos) {
        meters.completed(verb, outcome.ordinal(), startedNanos);
    }

    /** Removes the connection's gauge: a closed client is no connection to report. */
    void close() {
        meters.close();
    }
}
