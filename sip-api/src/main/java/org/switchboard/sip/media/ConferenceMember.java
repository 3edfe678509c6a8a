package org.switchboard.sip.media;

import java.util.Objects;

/**
 * A member of a conference.
 *
 * @param memberId the member's id in its conference
 * @param conferenceUuid the conference's unique id on the media server
 * @param channelUuid the member's channel
 */
public record ConferenceMember(int memberId, String conferenceUuid, String channelUuid) {

    /** Checks the ids are present. */
    public ConferenceMember {
        Objects.requireNonNull(conferenceUuid, "conferenceUuid");
        Objects.requireNonNull(channelUuid, "channelUuid");
    }
}
