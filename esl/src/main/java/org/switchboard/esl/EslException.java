package org.switchboard.esl;

/** A failure of an event socket operation. Subclasses say which kind. */
public class EslException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that names the operation. */
    public EslException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The switch refused the password. */
    public static final class AuthenticationFailed extends EslException {
        private static final long serialVersionUID = 1L;

        /** An authentication failure; the message never holds the password. */
        public AuthenticationFailed(String message) {
            super(message, null);
        }
    }

    /** No reply came before the command's deadline. */
    public static final class Timeout extends EslException {
        private static final long serialVersionUID = 1L;

        /** A timeout naming what was awaited. */
        public Timeout(String message) {
            super(message, null);
        }
    }

    /** The connection closed (or was not open) while the operation was pending. */
    public static final class ConnectionClosed extends EslException {
        private static final long serialVersionUID = 1L;

        /** A closed-connection failure naming the operation. */
        public ConnectionClosed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The switch answered {@code -ERR}. */
    public static final class CommandFailed extends EslException {
        private static final long serialVersionUID = 1L;

        /** A refusal with the switch's reply text. */
        public CommandFailed(String message) {
            super(message, null);
        }
    }
}
