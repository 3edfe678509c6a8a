package org.switchboard.drachtio.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transport.Destination;

/**
 * A request an app sent, waiting for responses. Written by the app's event loop when sent and canceled, and by
 * the SIP event loop that delivers its responses; the fields both touch are volatile, the dialog a response
 * creates is made under this object's monitor.
 */
final class AppRequest {
    final String txnId;
    final AppConnection app;
    /** The id of the dialog this request creates (INVITE, SUBSCRIBE) or belongs to; empty otherwise. */
    final String dialogId;
    /** The dialog an in-dialog request belongs to; null for a request outside a dialog. */
    final AppDialog dialog;
    final Destination destination;
    volatile ClientTransaction tx;
    volatile boolean canceled;
    volatile boolean answered;
    /** To tags of further 2xx forks already ended. */
    final Set<String> endedForks = ConcurrentHashMap.newKeySet();

    AppRequest(String txnId, AppConnection app, String dialogId, AppDialog dialog, Destination destination) {
        this.txnId = txnId;
        this.app = app;
        this.dialogId = dialogId;
        this.dialog = dialog;
        this.destination = destination;
    }
}
