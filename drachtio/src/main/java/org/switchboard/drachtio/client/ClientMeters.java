package org.switchboard.drachtio.client;

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
 * A client's meters (docs/operations.md): the round trip of each command by keyword and outcome, and for a
 * connection the client opens, whether it is up and how often it was lost and re-established. Timers are made on
 * first use and found again in an array, never by building tags per frame.
 */
final class ClientMeters {

    /** How a command ended. */
    enum Outcome {
        OK, REFUSED, TIMEOUT, CLOSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    // the keywords the client sends; another (a protocol tool's) is counted as "other"
    private static final List<String> COMMANDS = List.of("authenticate", "route", "remove_route", "ping", "sip", "proxy", "other");
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(COMMANDS.size() * Outcome.values().length);
    private Counter reconnects;
    private Gauge connected;

    ClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds the connection's own meters, for a client that opens (and re-opens) its connection to {@code server}. */
    void connection(String server, BooleanSupplier up) {
        reconnects = Counter.builder("drachtio.client.reconnects").tag("server", server)
                .description("Times the connection to the drachtio server was lost and the client began reconnecting")
                .register(registry);
        connected = Gauge.builder("drachtio.client.connected", up, u -> u.getAsBoolean() ? 1 : 0).tag("server", server)
                .description("1 while the connection to the drachtio server is up and authenticated, else 0")
                .strongReference(true).register(registry);
    }

    void reconnecting() {
        if (reconnects != null) {
            reconnects.increment();
        }
    }

    /** Records a command's round trip; {@code keyword} is the frame's. */
    void completed(String keyword, Outcome outcome, long startedNanos) {
        int command = COMMANDS.indexOf(keyword);
        int i = (command < 0 ? COMMANDS.size() - 1 : command) * Outcome.values().length + outcome.ordinal();
        Timer t = timers.get(i);
        if (t == null) {
            t = Timer.builder("drachtio.client.requests").tag("command", COMMANDS.get(i / Outcome.values().length))
                    .tag("outcome", outcome.label).serviceLevelObjectives(BUCKETS)
                    .description("Round trip of commands to the drachtio server, by keyword and outcome")
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
