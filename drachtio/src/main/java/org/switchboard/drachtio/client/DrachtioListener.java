package org.switchboard.drachtio.client;

import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * Receives what the server sends on its own: {@code sip} frames (requests, responses to the app's requests,
 * CANCEL, unsolicited BYE) and {@code cdr:*} frames. Called off the I/O threads, one call's frames in order.
 */
public interface DrachtioListener {

    /** A frame arrived. */
    void onFrame(DrachtioFrame frame);

    /** The connection ended; {@code reason} says why. Pending requests have failed already. */
    default void onDisconnect(String reason) {
    }
}
