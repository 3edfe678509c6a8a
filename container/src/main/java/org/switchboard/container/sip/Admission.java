package org.switchboard.container.sip;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.ReceivedRequest;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * Whether the container takes a new request at all, before it is routed: once it shuts down every new request gets
 * 503 with Retry-After; while it sheds load ({@link LoadShedding}) part of the new INVITEs do; and a load
 * balancer's probe of the node is told which of the two it is ({@link NodeOptions}).
 *
 * <p>Threads: any; the state is two volatile fields, each set once.
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final CallMeters meters;
    private volatile LoadShedding shedding;
    // Retry-After of the 503 new requests get once the container shuts down; null while it takes them
    private volatile Duration refusing;

    Admission(CallMeters meters) {
        this.meters = meters;
    }

    void shedLoad(LoadShedding shedding) {
        this.shedding = shedding;
    }

    Optional<LoadShedder> shedder() {
        return Optional.ofNullable(shedding).map(LoadShedding::shedder);
    }

    void refuseNewRequests(Duration retryAfter) {
        refusing = retryAfter;
    }

    /** Answers {@code received} 503 when the container does not take it; returns whether it did. */
    boolean refused(ReceivedRequest received) {
        Duration retryAfter = refusing;
        if (retryAfter == null) {
            LoadShedding s = shedding;
            return s != null && s.refused(received);
        }
        SipRequest request = received.request();
        LOG.debug("{} {}: shutting down, answering 503", request.method(), request.requestUriText());
        if (request.isMethod("INVITE")) {
            meters.of(null).failed(503);
        }
        received.respond(Wire.response(503, Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))), ""))
                .exceptionally(e -> null);
        return true;
    }

    /**
     * The answer to a probe of the node, given the methods the active applications take: while overloaded it says
     * so, so that a load balancer sends calls elsewhere.
     */
    SipResponse probeAnswer(Collection<String> routed) {
        LoadShedding s = shedding;
        return s != null && s.shedder().overloaded()
                ? Wire.response(503, Map.of("Retry-After", s.shedder().retryAfterSeconds()), "")
                : NodeOptions.answer(routed);
    }

    void stop() {
        LoadShedding s = shedding;
        if (s != null) {
            s.stop();
        }
    }
}
