package org.switchboard.sip.media;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something that happened in a conference: a member joined ({@code add-member}) or left ({@code del-member}), started
 * or stopped talking ({@code start-talking}, {@code stop-talking}), took the floor ({@code floor-change}), was muted,
 * kicked, a file finished playing, and so on.
 *
 * @param action FreeSWITCH's action name
 * @param memberId the member it concerns, if any
 * @param event the whole event
 */
public record ConferenceEvent(String action, OptionalInt memberId, EslEvent event) {

    /** Checks every field is present. */
    public ConferenceEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(event, "event");
    }

    /** The member's channel, if the event concerns a member. */
    public Optional<String> channelUuid() {
        return event.header("Unique-ID");
    }
}
