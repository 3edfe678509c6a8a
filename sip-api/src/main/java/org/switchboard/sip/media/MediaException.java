package org.switchboard.sip.media;

/** A media operation failed. The subclasses say why when the reason is not the switch's own answer. */
public class MediaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure whose message names the operation and what the switch answered. */
    public MediaException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The operation did not complete before its deadline. */
    public static final class Timeout extends MediaException {
        private static final long serialVersionUID = 1L;

        /** A timeout naming the operation and the deadline. */
        public Timeout(String message) {
            super(message);
        }
    }

    /** The channel hung up while the operation was pending (or before it was sent). */
    public static final class HungUp extends MediaException {
        private static final long serialVersionUID = 1L;

        /** A hangup naming the operation and the hangup cause. */
        public HungUp(String message) {
            super(message);
        }
    }

    /** The event socket connection to the media server closed while the operation was pending. */
    public static final class ConnectionLost extends MediaException {
        private static final long serialVersionUID = 1L;

        /** A lost connection naming the operation. */
        public ConnectionLost(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
