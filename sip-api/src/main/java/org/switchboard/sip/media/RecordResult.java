package org.switchboard.sip.media;

import java.util.Objects;

/**
 * What {@link Endpoint#record} recorded.
 *
 * @param seconds the seconds recorded
 * @param milliseconds the milliseconds recorded
 * @param samples the samples recorded
 * @param terminatorUsed the DTMF terminator that stopped it, empty when a limit, silence or the hangup did
 */
public record RecordResult(int seconds, long milliseconds, long samples, String terminatorUsed) {

    /** Checks the terminator is present. */
    public RecordResult {
        Objects.requireNonNull(terminatorUsed, "terminatorUsed");
    }
}
