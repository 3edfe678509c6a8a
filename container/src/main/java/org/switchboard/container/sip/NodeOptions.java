package org.switchboard.container.sip;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.SipUri;

/**
 * The node's own answer to an OPTIONS outside a dialog addressed to the node itself (a Request-URI without a user
 * part, as the keep-alive probes of SIP load balancers send) that no application takes: while the node takes calls,
 * 200 saying what it takes ({@code Allow}, {@code Accept}, {@code Supported}); while it is not ready (no application
 * deployed), 503 with {@code Retry-After}. While the container drains, every new request, this one included, gets
 * 503 with Retry-After before it is routed.
 */
final class NodeOptions {

    /** {@code Retry-After} of the 503 while no application is deployed: about one deployment scan and start. */
    static final Duration NOT_READY_RETRY_AFTER = Duration.ofSeconds(5);
    /** What the node accepts in bodies: session descriptions. */
    static final String ACCEPT = "application/sdp";
    /** Reliable provisional responses and session timers, which the drachtio server handles for every application. */
    static final String SUPPORTED = "100rel, timer";
    // what the container takes inside a dialog an application made (DialogRequests), besides the routed methods
    private static final List<String> IN_DIALOG = List.of("ACK", "BYE", "CANCEL", "INFO", "MESSAGE", "NOTIFY", "PRACK", "REFER",
            "UPDATE");

    private NodeOptions() {
    }

    /** Whether {@code request} is an OPTIONS to the node itself rather than to a user. */
    static boolean addressedToNode(SipRequest request) {
        return request.isMethod("OPTIONS") && request.requestUri() instanceof SipUri uri && uri.user().isEmpty();
    }

    /** The answer, given the methods the active applications take (lower case, as routed); none: not ready. */
    static SipResponse answer(java.util.Collection<String> routed) {
        if (routed.isEmpty()) {
            return Wire.response(503, Map.of("Retry-After", Long.toString(NOT_READY_RETRY_AFTER.toSeconds())), "");
        }
        TreeSet<String> allow = new TreeSet<>();
        routed.forEach(m -> allow.add(m.toUpperCase(Locale.ROOT)));
        allow.add("OPTIONS");
        if (allow.contains("INVITE") || allow.contains("SUBSCRIBE")) {
            allow.addAll(IN_DIALOG);
        }
        return Wire.response(200, Map.of(HeaderNames.ALLOW, String.join(", ", allow), HeaderNames.ACCEPT, ACCEPT,
                HeaderNames.SUPPORTED, SUPPORTED), "");
    }
}
