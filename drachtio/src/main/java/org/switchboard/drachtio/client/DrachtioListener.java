package org.switchboard.drachtio.client;

import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * Receives the frames the server sends on its own: {@code sip} frames (requests, responses to the app's
 * requests, CANCEL, unsolicited BYE) and {@code cdr:*} frames. Called off the I/O threads, one call's frames in
 * order. Applications use the parsed view, {@link SipHandler}; this frame view is for protocol-level tools.
 */
public interface DrachtioListener {

    /** A frame arrived. */
    void onFrame(DrachtioFrame frame);

    /** A frame arrived on {@code connection}; by default {@link #onFrame(DrachtioFrame)}. */
    default void onFrame(DrachtioClient connection, DrachtioFrame frame) {
        onFrame(frame);
    }

    /** The connection ended; {@code reason} says why. Pending requests have failed already. */
    default void onDisconnect(String reason) {
    }

    /** The connection {@code connection} ended; by default {@link #onDisconnect(String)}. */
    default void onDisconnect(DrachtioClient connection, String reason) {
        onDisconnect(reason);
    }
}
