package org.switchboard.sip.stack.transport;

import java.util.Objects;

/**
 * A transport failure: a message that could not be sent to a destination, or a connection that failed.
 *
 * @param destination where it was going
 * @param cause what went wrong
 */
public record TransportError(Destination destination, Throwable cause) {

    public TransportError {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(cause, "cause");
    }
}
