package org.switchboard.drachtio.client;

/** A failure of a drachtio operation; subclasses say which kind. */
public class DrachtioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message naming the operation. */
    public DrachtioException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server refused the secret. */
    public static final class AuthenticationFailed extends DrachtioException {
        private static final long serialVersionUID = 1L;

        /** A refusal; the message never holds the secret. */
        public AuthenticationFailed(String message) {
            super(message, null);
        }
    }

    /** No response came before the request's deadline. */
    public static final class Timeout extends DrachtioException {
        private static final long serialVersionUID = 1L;

        /** A timeout naming what was awaited. */
        public Timeout(String message) {
            super(message, null);
        }
    }

    /** The connection closed (or was not open) while the request was pending. */
    public static final class ConnectionClosed extends DrachtioException {
        private static final long serialVersionUID = 1L;

        /** A closed-connection failure naming the request. */
        public ConnectionClosed(String message) {
            super(message, null);
        }
    }

    /** The server answered {@code NO} or {@code NOK}. */
    public static final class Refused extends DrachtioException {
        private static final long serialVersionUID = 1L;

        /** A refusal with the server's status and reason. */
        public Refused(String message) {
            super(message, null);
        }
    }
}
