package org.switchboard.mrf.status;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One conference on a switch, as it lists it.
 *
 * @param name the conference's name
 * @param uuid its unique id on the switch
 * @param memberCount how many members the switch counts in it (a control leg included)
 * @param uptime how long it has been running, to the second
 * @param locked whether it takes no new members
 * @param recording whether it is being recorded
 * @param members its callers, in the switch's order
 */
public record ConferenceStatus(String name, String uuid, int memberCount, Duration uptime, boolean locked,
                               boolean recording, List<MemberStatus> members) {

    /** Checks that nothing is null and copies the members. */
    public ConferenceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(uptime, "uptime");
        members = List.copyOf(members);
    }
}
