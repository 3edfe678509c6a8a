package org.switchboard.drachtio.wire;

/** Input that breaks the drachtio framing; the connection that carried it is closed with this as the reason. */
public final class DrachtioProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A framing error that says what and where. */
    public DrachtioProtocolException(String message) {
        super(message);
    }
}
