package org.switchboard.sip.media;

import java.util.Objects;

/**
 * What {@link Endpoint#playCollect} collected.
 *
 * @param digits the digits that matched, empty when none did
 * @param invalidDigits the last digits that did not match the pattern, empty when none
 * @param terminatorUsed the terminator that ended the input, empty when none did
 * @param result {@code success}, {@code timeout} or {@code failure}, as the switch reports it
 */
public record CollectResult(String digits, String invalidDigits, String terminatorUsed, String result) {

    /** Checks every field is present. */
    public CollectResult {
        Objects.requireNonNull(digits, "digits");
        Objects.requireNonNull(invalidDigits, "invalidDigits");
        Objects.requireNonNull(terminatorUsed, "terminatorUsed");
        Objects.requireNonNull(result, "result");
    }
}
