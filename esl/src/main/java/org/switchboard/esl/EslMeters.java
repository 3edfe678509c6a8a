package org.switchboard.esl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * A session's meters (docs/operations.md): each command's latency by its verb and outcome (so errors and timeouts
 * are counted by the same timer), and for an inbound client whether its connection is up and how often it was lost.
 * Timers are made on first use and found again in an array; the verb is matched in place, never cut out of the
 * command line.
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
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(VERBS.size() * Outcome.values().length);
    private Counter reconnects;
    private Gauge connected;

    EslMeters(MeterRegistry registry) {
        this.registry = registry;
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
        reconnects = Counter.builder("esl.client.reconnects").tag("peer", peer)
                .description("Times the event socket connection was lost and the client began reconnecting").register(registry);
        connected = Gauge.builder("esl.client.connected", up, u -> u.getAsBoolean() ? 1 : 0).tag("peer", peer)
                .description("1 while the inbound event socket connection is up and authenticated, else 0")
                .strongReference(true).register(registry);
    }

    void reconnecting() {
        if (reconnects != null) {
            reconnects.increment();
        }
    }

    /** Records a command's latency; {@code verb} from {@link #verb}. */
    void completed(int verb, Outcome outcome, long startedNanos) {
        int i = verb * Outcome.values().length + outcome.ordinal();
        Timer t = timers.get(i);
        if (t == null) {
            t = Timer.builder("esl.commands").tag("command", VERBS.get(verb)).tag("outcome", outcome.label)
                    .serviceLevelObjectives(BUCKETS)
                    .description("Event socket commands from sending to their reply, by command and outcome")
                    .register(registry);
            timers.set(i, t); // a race registers the same timer twice: the registry returns one
        }
        t.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the connection's gauge: a closed client is no connection to report. */
    void close() {
        if (connected != null) {
            registry.remove(connected);
        }
    }
}
