package org.switchboard.mrf.status;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel on a switch, as {@code show channels} lists it; a column the switch leaves out is empty.
 *
 * @param uuid the channel's UUID
 * @param name its name ({@code sofia/<profile>/<user>@<host>})
 * @param direction {@code inbound} or {@code outbound}
 * @param state the channel state ({@code CS_EXECUTE}, ...)
 * @param callState the call state ({@code ACTIVE}, {@code HELD}, ...)
 * @param created when it was made, when the switch says
 * @param callerIdNumber the caller's number
 * @param destination the number it called
 * @param codec the codec it reads
 */
public record ChannelStatus(String uuid, String name, String direction, String state, String callState,
                            Optional<Instant> created, String callerIdNumber, String destination, String codec) {

    /** Checks that nothing is null. */
    public ChannelStatus {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(callState, "callState");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(callerIdNumber, "callerIdNumber");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(codec, "codec");
    }
}
