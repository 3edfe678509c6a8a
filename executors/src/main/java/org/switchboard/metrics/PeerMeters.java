package org.switchboard.metrics;

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
 * The meters of a protocol client (docs/operations.md): each command's round trip by command and outcome, and for a
 * connection the client opens, whether it is up and how often it was lost and re-established. Timers are made on first
 * use and found again in an array by index, never by building tags per message. The drachtio and event socket clients
 * each keep one, under names of their own.
 */
public final class PeerMeters {

    /**
     * What a kind of client calls its meters.
     *
     * @param prefix the connection meters' prefix ({@code drachtio.client}: {@code .reconnects}, {@code .connected})
     * @param peerTag the tag naming the peer on them ({@code server})
     * @param peer the peer in words, for the descriptions ({@code the drachtio server})
     * @param commandTimer the command timer's name
     * @param commandDescription what that timer measures
     * @param commands the commands counted apart, the last one standing for any other
     * @param outcomes how a command can end, as labels
     */
    public record Names(String prefix, String peerTag, String peer, String commandTimer, String commandDescription,
            List<String> commands, List<String> outcomes) {

        /** Copies the lists. */
        public Names {
            commands = List.copyOf(commands);
            outcomes = List.copyOf(outcomes);
        }
    }

    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Names names;
    private final AtomicReferenceArray<Timer> timers;
    private Counter reconnects;
    private Gauge connected;

    /** Meters named by {@code names}, in {@code registry}. */
    public PeerMeters(MeterRegistry registry, Names names) {
        this.registry = registry;
        this.names = names;
        this.timers = new AtomicReferenceArray<>(names.commands().size() * names.outcomes().size());
    }

    /** Adds the connection's own meters, for a client that opens (and re-opens) its connection to {@code peer}. */
    public void connection(String peer, BooleanSupplier up) {
        reconnects = Counter.builder(names.prefix() + ".reconnects").tag(names.peerTag(), peer)
                .description("Times the connection to " + names.peer() + " was lost and the client began reconnecting")
                .register(registry);
        connected = Gauge.builder(names.prefix() + ".connected", up, u -> u.getAsBoolean() ? 1 : 0).tag(names.peerTag(), peer)
                .description("1 while the connection to " + names.peer() + " is up and authenticated, else 0")
                .strongReference(true).register(registry);
    }

    /** The connection was lost and the client reconnects. */
    public void reconnecting() {
        if (reconnects != null) {
            reconnects.increment();
        }
    }

    /** The index of {@code command} in the names' commands, the last (any other) when it is not one of them. */
    public int command(String command) {
        int i = names.commands().indexOf(command);
        return i < 0 ? names.commands().size() - 1 : i;
    }

    /** Records a command's round trip: the command's index, the outcome's, and when it was sent. */
    public void completed(int command, int outcome, long startedNanos) {
        int i = command * names.outcomes().size() + outcome;
        Timer t = timers.get(i);
        if (t == null) {
            t = Timer.builder(names.commandTimer()).tag("command", names.commands().get(command))
                    .tag("outcome", names.outcomes().get(outcome)).serviceLevelObjectives(BUCKETS)
                    .description(names.commandDescription()).register(registry);
            timers.set(i, t); // a race registers the same timer twice: the registry returns one
        }
        t.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the connection's gauge: a closed client is no connection to report. */
    public void close() {
        if (connected != null) {
            registry.remove(connected);
        }
    }
}
