package org.switchboard.drachtio.client;

import org.switchboard.sip.app.CdrEvent;

/**
 * What an application's connection delivers, parsed once: requests with their way to answer, responses to the
 * application's own requests, and CDRs. Called off the I/O threads, one call's messages in order.
 * {@link #listener()} turns a handler into the {@link DrachtioListener} a connection takes.
 */
public interface SipHandler {

    /** A request arrived (a new one, one in a dialog, a CANCEL, or the server's own ending of a dialog). */
    void onRequest(ReceivedRequest request);

    /** A response to a request the application sent arrived. */
    void onResponse(ReceivedResponse response);

    /** A call detail record arrived (only when routes for {@code cdr:*} were registered). */
    default void onCdr(CdrEvent cdr) {
    }

    /** The connection ended; {@code reason} says why. Its pending operations have failed already. */
    default void onDisconnect(DrachtioClient connection, String reason) {
    }

    /** The frame listener that parses a connection's frames into calls of this handler. */
    default DrachtioListener listener() {
        return new SipDispatch(this);
    }
}
