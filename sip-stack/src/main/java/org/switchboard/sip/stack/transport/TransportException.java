package org.switchboard.sip.stack.transport;

/** A message could not be sent: no route, a refused connection, a closed channel. */
public final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that names the destination. */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
