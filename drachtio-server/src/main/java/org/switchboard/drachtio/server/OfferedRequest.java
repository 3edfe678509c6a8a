package org.switchboard.drachtio.server;

import java.util.concurrent.ScheduledFuture;
import org.switchboard.sip.stack.transaction.ServerTransaction;

/**
 * A network request handed to an app, parked until the app answers it or the park time ends. Its fields change
 * under its own monitor: the app's answer (its connection's event loop), a CANCEL (a SIP event loop), the park
 * timeout (the timer thread) and the app's departure race for the final response, and whoever takes
 * {@link #finalSent} first decides.
 */
final class OfferedRequest {
    final String txnId;
    final ServerTransaction tx;
    final AppConnection app;
    /** The dialog an in-dialog request belongs to; null for a new request. */
    final AppDialog dialog;
    String localTag;
    /** The dialog a 2xx or reliable 1xx of the app made for this new INVITE or SUBSCRIBE. */
    AppDialog early;
    boolean provisionalSent;
    boolean finalSent;
    ScheduledFuture<?> park;
    /** An UPDATE received in this INVITE's early dialog, answered by the app on the INVITE's id (docs/drachtio.md). */
    ServerTransaction update;

    OfferedRequest(String txnId, ServerTransaction tx, AppConnection app, AppDialog dialog) {
        this.txnId = txnId;
        this.tx = tx;
        this.app = app;
        this.dialog = dialog;
    }
}
