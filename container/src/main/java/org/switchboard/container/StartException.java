package org.switchboard.container;

/**
 * The container could not start for a reason its configuration can fix (an address in use, a host that does not
 * resolve); the message names what failed and the setting that changes it, so it is shown without a stack trace.
 */
public final class StartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StartException(String message, Throwable cause) {
        super(message, cause);
    }
}
