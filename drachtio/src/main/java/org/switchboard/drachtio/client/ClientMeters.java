package org.switchboard.drachtio.client;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.switchboard.metrics.PeerMeters;

/**
 * A client's meters (docs/operations.md): the round trip of each command by keyword and outcome, and for a
 * connection the client opens, whether it is up and how often it was lost and re-established.
 */
final class ClientMeters {

    /** How a command ended. */
    enum Outcome {
        OK, REFUSED, TIMEOUT, CLOSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    // the keywords the client sends; another (a protocol tool's) is counted as "other"
    private static final PeerMeters.Names NAMES = new PeerMeters.Names("drachtio.client", "server", "the drachtio server",
            "drachtio.client.requests", "Round trip of commands to the drachtio server, by keyword and outcome",
            List.of("authenticate", "route", "remove_route", "ping", "sip", "proxy", "other"),
            Arrays.stream(Outcome.values()).map(o -> o.label).toList());

    private final PeerMeters meters;

    ClientMeters(MeterRegistry registry) {
        this.meters = new PeerMeters(registry, NAMES);
    }

    /** Adds the connection's own meters, for a client that opens (and re-opens) its connection to {@code server}. */
    void connection(String server, BooleanSupplier up) {
        meters.connection(server, up);
    }

    void reconnecting() {
        meters.reconnecting();
    }

    /** Records a command's round trip; {@code keyword} is the frame's. */
    void completed(String keyword, Outcome outcome, long startedNanos) {
        meters.completed(meters.command(keyword), outcome.ordinal(), startedNanos);
    }

    /** Removes the connection's gauge: a closed client is no connection to report. */
    void close() {
        meters.close();
    }
}
