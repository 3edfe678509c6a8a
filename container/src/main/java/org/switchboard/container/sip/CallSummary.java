package org.switchboard.container.sip;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A call as the admin API and the console list it.
 *
 * @param callId its Call-ID
 * @param started when its first message was seen
 * @param state {@code trying} (a request not answered yet), {@code calling} (a request the application sent in
 *        progress), {@code confirmed} (a dialog up) or {@code ended}
 * @param application the version of the application that handles it ({@code name#n}), empty when none took it
 * @param legs the Call-IDs of the calls related to this one: the legs a B2BUA placed for it, or the call it was placed
 *        for
 * @param messages how many ladder entries its capture holds
 */
public record CallSummary(String callId, Instant started, String state, String application, List<String> legs, int messages) {

    /** Copies the legs; checks that nothing is null. */
    public CallSummary {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(application, "application");
        legs = List.copyOf(legs);
    }
}
