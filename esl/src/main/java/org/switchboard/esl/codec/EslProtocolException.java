package org.switchboard.esl.codec;

/** Input that breaks the event socket framing; the connection that carried it is closed. */
public final class EslProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A framing error with a message that says what and where. */
    public EslProtocolException(String message) {
        super(message);
    }
}
