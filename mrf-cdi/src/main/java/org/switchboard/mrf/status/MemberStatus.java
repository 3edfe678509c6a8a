package org.switchboard.mrf.status;

import java.time.Duration;
import java.util.Objects;

/**
 * One caller in a conference, as the switch lists it.
 *
 * @param id the member id in its conference
 * @param uuid the member's channel
 * @param callerIdName the caller id name of the channel, empty when none
 * @param callerIdNumber the caller id number of the channel, empty when none
 * @param canHear whether it hears the conference (false: deaf)
 * @param canSpeak whether the conference hears it (false: muted)
 * @param talking whether the switch hears it talking now
 * @param moderator whether it joined as a moderator
 * @param endConference whether the conference ends when it leaves (a control leg's {@code endconf})
 * @param inConference how long it has been in the conference, to the second
 */
public record MemberStatus(int id, String uuid, String callerIdName, String callerIdNumber, boolean canHear,
                           boolean canSpeak, boolean talking, boolean moderator, boolean endConference,
                           Duration inConference) {

    /** Checks that nothing is null. */
    public MemberStatus {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(callerIdName, "callerIdName");
        Objects.requireNonNull(callerIdNumber, "callerIdNumber");
        Objects.requireNonNull(inConference, "inConference");
    }

    /** Whether the conference does not hear it. */
    public boolean muted() {
        return !canSpeak;
    }

    /** Whether it does not hear the conference. */
    public boolean deaf() {
        return !canHear;
    }
}
