package org.switchboard.sip.stack.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.switchboard.metrics.Meters;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The SIP meters of one stack (docs/operations.md lists them): messages read and sent, requests by method and
 * responses by the method of their CSeq and their status; the transaction layer adds its own beside them. Every meter
 * carries the tag {@code stack}, so that the stacks of one process (the embedded drachtio server's, the media
 * server's) are told apart in one registry.
 *
 * <p>Costs on the I/O threads: the counters are looked up once (per method, per method and status), in arrays, not
 * by building tags per message. Method labels are the RFC methods, and {@code other} for the rest, so that no peer
 * can grow the label set.
 */
public final class SipMeters {

    /** The methods with a label of their own; any other is counted as {@link #OTHER}. */
    public static final List<String> METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK",
            "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");
    /** The method label of methods not in {@link #METHODS}. */
    public static final String OTHER = "other";

    private static final int STATUSES = 600; // 100..699

    private final MeterRegistry registry;
    private final Tags tags;
    private final Direction in;
    private final Direction out;

    private SipMeters(MeterRegistry registry, String stack) {
        this.registry = registry;
        this.tags = Tags.of("stack", stack);
        this.in = new Direction("received");
        this.out = new Direction("sent");
    }

    /** The meters of a stack named {@code stack} (the value of the {@code stack} tag) in {@code registry}. */
    public static SipMeters create(MeterRegistry registry, String stack) {
        return new SipMeters(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(stack, "stack"));
    }

    /** Meters that record nothing. */
    public static SipMeters none() {
        return create(Meters.none(), "sip");
    }

    /** The registry, for the layers above to add their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The tags every meter of this stack carries. */
    public Tags tags() {
        return tags;
    }

    /** The index of {@code method}'s label: its position in {@link #METHODS}, or {@code METHODS.size()} for another. */
    public static int methodIndex(String method) {
        return switch (method) {
            case "INVITE" -> 0;
            case "ACK" -> 1;
            case "BYE" -> 2;
            case "CANCEL" -> 3;
            case "OPTIONS" -> 4;
            case "REGISTER" -> 5;
            case "PRACK" -> 6;
            case "SUBSCRIBE" -> 7;
            case "NOTIFY" -> 8;
            case "PUBLISH" -> 9;
            case "INFO" -> 10;
            case "REFER" -> 11;
            case "MESSAGE" -> 12;
            case "UPDATE" -> 13;
            default -> 14;
        };
    }

    private static String methodLabel(int index) {
        return index < METHODS.size() ? METHODS.get(index) : OTHER;
    }

    /**
     * One counter per method label, indexed by {@link #methodIndex}, named {@code name} with this stack's tags and
     * {@code extra}.
     */
    public Counter[] perMethod(String name, String description, Tags extra) {
        Counter[] counters = new Counter[METHODS.size() + 1];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = Counter.builder(name).description(description).tags(tags).tags(extra)
                    .tag("method", methodLabel(i)).register(registry);
        }
        return counters;
    }

    /** Counts what {@code stats} counts of failures, read when scraped (no cost on the I/O threads). */
    void bind(TransportStats stats) {
        FunctionCounter.builder("sip.parse.errors", stats, TransportStats::malformedInputs).tags(tags)
                .description("Inputs that could not be read as SIP messages (answered 400 where possible, else dropped)")
                .register(registry);
        FunctionCounter.builder("sip.send.failures", stats, TransportStats::sendFailures).tags(tags)
                .description("Messages that could not be sent, and failed connection attempts").register(registry);
        FunctionCounter.builder("sip.tls.handshake.failures", stats, TransportStats::tlsHandshakeFailures).tags(tags)
                .description("TLS handshakes that failed, inbound and outbound").register(registry);
    }

    void received(SipMessage message) {
        in.count(message);
    }

    void sent(SipMessage message) {
        out.count(message);
    }

    /** The counters of one direction: requests by method, responses by method and status, made on first use. */
    private final class Direction {

        private final String direction;
        private final Counter[] requests;
        private final AtomicReferenceArray<Counter> responses = new AtomicReferenceArray<>((METHODS.size() + 1) * STATUSES);

        Direction(String direction) {
            this.direction = direction;
            this.requests = perMethod("sip.requests." + direction, "SIP requests " + direction + ", by method", Tags.empty());
        }

        void count(SipMessage message) {
            if (message instanceof SipRequest request) {
                requests[methodIndex(request.method())].increment();
            } else if (message instanceof SipResponse response) {
                int status = response.status();
                if (status < 100 || status > 699) {
                    return; // the parser admits none: nothing to count it under
                }
                int method;
                try {
                    method = methodIndex(response.cseq().method());
                } catch (SipParseException e) {
                    method = METHODS.size();
                }
                int i = method * STATUSES + status - 100;
                Counter c = responses.get(i);
                if (c == null) {
                    c = Counter.builder("sip.responses." + direction)
                            .description("SIP responses " + direction + ", by the method of their CSeq and their status")
                            .tags(tags).tag("method", methodLabel(method)).tag("status", Integer.toString(status))
                            .tag("class", (status / 100) + "xx").register(registry);
                    responses.set(i, c); // a race registers the same meter twice: the registry returns one
                }
                c.increment();
            }
        }
    }
}
