package org.switchboard.sip.stack.ua;

/** A call or in-dialog request ended without success: a final non-2xx response, a timeout or a transport failure. */
public final class CallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A failure; {@code status} is the final response's status, or 408 for a timeout, 503 for a transport failure. */
    public CallFailedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The status that ended it (408 for a timeout, 503 for a transport failure, as RFC 3261 8.1.3.1 maps them). */
    public int status() {
        return status;
    }
}
