package org.switchboard.drachtio.server;

import java.util.Objects;

/**
 * A limit on how fast one source IP address may send new requests (requests outside a dialog; ACK, CANCEL and
 * in-dialog requests are never limited): a token bucket that holds {@code burst} requests and refills at
 * {@code perSecond}. A request over the limit is answered 503 with Retry-After ({@link RefusalMode#REJECT}) or
 * dropped unanswered ({@link RefusalMode#DISCARD}). A discarded request is counted before the transaction layer,
 * so its retransmissions count too.
 *
 * @param perSecond the sustained rate, new requests per second per source address
 * @param burst how many may come at once above that rate
 * @param mode how a request over the limit is refused
 */
public record RateLimit(double perSecond, int burst, RefusalMode mode) {

    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("the request rate must be above 0 per second, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the burst must be at least 1 request, was " + burst);
        }
        Objects.requireNonNull(mode, "mode");
    }
}
