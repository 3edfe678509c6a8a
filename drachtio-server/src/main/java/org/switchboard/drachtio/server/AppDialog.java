package org.switchboard.drachtio.server;

import java.util.concurrent.ScheduledFuture;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.ua.DialogState;

/**
 * A dialog the server keeps for an app (docs/drachtio.md): the drachtio dialog id apps name it by, the app connection
 * that owns it, and the duties the server has in it on the app's behalf (session timers, reliable provisionals, the
 * app's cancel and end races). Its SIP state and the RFC 3261 rules over it (tags, route set, remote target, CSeq,
 * in-dialog requests, ACKs and the wait for them) are sip-stack's {@link DialogState}, held in {@link #sip}, the same
 * class sip-stack's user agent keeps its calls' dialogs in.
 *
 * <p>Threads: {@link #sip} is thread-safe. The fields here are volatile: written by the SIP event loop or app
 * connection event loop that acts on the dialog, the timer thread (session timers, reliable provisionals), and
 * read from any of them.
 */
final class AppDialog {

    /** The drachtio dialog id: Call-ID and the From tag of the dialog-creating request. */
    final String id;
    final DialogState sip;
    volatile AppConnection owner;
    /** UAC: the app canceled the INVITE before its 2xx came (the ACK is then followed by BYE). */
    volatile boolean canceledByApp;
    /** The app sent the request that ends it (BYE, a terminating NOTIFY, an unsubscribe); its answer ends it. */
    volatile boolean endingByApp;
    /** The last SDP this side sent, offered again in session refreshes. */
    volatile String localSdp;
    volatile ScheduledFuture<?> sessionTimer;
    /** UAS: a reliable provisional being retransmitted until its PRACK (RFC 3262). */
    volatile long pendingRseq = -1;
    volatile ScheduledFuture<?> reliableRetransmission;
    volatile long nextRseq = 1;

    AppDialog(DialogState sip, AppConnection owner) {
        this.id = idOf(sip.callId(), sip.isUas() ? sip.remoteTag() : sip.localTag());
        this.sip = sip;
        this.owner = owner;
    }

    /** The dialog id of the wire protocol: Call-ID and the From tag of the dialog-creating request. */
    static String idOf(String callId, String fromTag) {
        return callId + ";from-tag=" + fromTag;
    }

    boolean uas() {
        return sip.isUas();
    }

    boolean ended() {
        return sip.isEnded();
    }

    /**
     * Where in-dialog requests go: as the dialog state says, except that a UAS dialog without routes answers where its
     * first request came from, since the caller may sit behind NAT with a Contact nobody can reach.
     */
    Destination destination(SipNetwork network) {
        return uas() && sip.routeSet().isEmpty() ? sip.origin() : network.inDialog(sip);
    }

    /** Ends the dialog's SIP state (no more 2xx resent) and stops the server's own timers in it. */
    void end() {
        sip.end();
        ScheduledFuture<?> t = reliableRetransmission;
        if (t != null) {
            t.cancel(false);
        }
        t = sessionTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "dialog " + id;
    }
}
