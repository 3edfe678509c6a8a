package org.switchboard.container.sip;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a call's ladder: a SIP message the node read or wrote, or a media event of the call.
 *
 * @param at when it was seen
 * @param kind received or sent SIP message, or media event
 * @param peer the far end of a SIP message ({@code udp 127.0.0.1:5080}), the media server for a media event
 * @param label what the ladder's arrow says: the method, the status and reason, or the event's name
 * @param text the whole message as it went over the wire, or the event's details
 */
public record CapturedEvent(Instant at, Kind kind, String peer, String label, String text) {

    /** What an entry is. */
    public enum Kind {
        /** A SIP message the node read. */
        RECEIVED,
        /** A SIP message the node wrote. */
        SENT,
        /** A media event of the call (an endpoint created, a prompt played, a digit, ...). */
        MEDIA
    }

    /** Checks that nothing is null. */
    public CapturedEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
    }
}
