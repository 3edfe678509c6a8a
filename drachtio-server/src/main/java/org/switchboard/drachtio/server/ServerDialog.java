package org.switchboard.drachtio.server;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.ua.AckWait;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * A dialog the server tracks for an app (docs/drachtio.md): RFC 3261 dialog state, the owning connection, and the
 * pieces the server acts on by itself (2xx retransmission until the ACK, the ACK it re-sends for 2xx
 * retransmissions, reliable provisionals awaiting PRACK).
 */
final class ServerDialog {

    final String id;
    final boolean uas;
    final String callId;
    final String localTag;
    final String remoteTag;
    final String localHeader;
    final String remoteHeader;
    final String localContact;
    final Destination fallback;
    final AtomicLong localSeq;
    volatile AppConnection owner;
    volatile Uri remoteTarget;
    volatile List<String> routeSet;
    /** Made by a SUBSCRIBE: a terminating NOTIFY or an unsubscribe ends it (an INVITE dialog outlives a REFER's NOTIFYs). */
    volatile boolean subscription;
    /** CSeq number of the last INVITE that created or refreshed the session, from either side. */
    volatile long inviteSeq;
    /** UAS: the 2xx awaiting its ACK (sent again until it comes), or null. */
    volatile AckWait ackWait;
    volatile long ackedSeq = -1;
    /** UAC: the ACK last sent for a 2xx, re-sent for each retransmission of that 2xx. */
    volatile SipRequest ack;
    /** UAC: the app canceled the INVITE before its 2xx came (the ACK is then followed by BYE). */
    volatile boolean canceledByApp;
    /** UAS: a reliable provisional being retransmitted until its PRACK. */
    volatile long pendingRseq = -1;
    volatile ScheduledFuture<?> reliableRetransmission;
    volatile long nextRseq = 1;
    volatile boolean ended;
    /** The app sent the request that ends it (BYE, a terminating NOTIFY, an unsubscribe); its answer ends it. */
    volatile boolean endingByApp;
    /** The last SDP this side sent, offered again in session refreshes. */
    volatile String localSdp;
    volatile ScheduledFuture<?> sessionTimer;

    ServerDialog(String id, boolean uas, String callId, String localTag, String remoteTag, String localHeader,
                 String remoteHeader, String localContact, Uri remoteTarget, List<String> routeSet,
                 Destination fallback, long localSeq, AppConnection owner) {
        this.id = id;
        this.uas = uas;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.localHeader = MessageRules.asNameAddr(HeaderNames.FROM, localHeader);
        this.remoteHeader = MessageRules.asNameAddr(HeaderNames.TO, remoteHeader);
        this.localContact = MessageRules.asNameAddr(HeaderNames.CONTACT, localContact);
        this.remoteTarget = remoteTarget;
        this.routeSet = routeSet.stream().map(r -> MessageRules.asNameAddr(HeaderNames.ROUTE, r)).toList();
        this.fallback = fallback;
        this.localSeq = new AtomicLong(localSeq);
        this.owner = owner;
    }

    /** The dialog id of the wire protocol: Call-ID and the From tag of the dialog-creating request. */
    static String idOf(String callId, String fromTag) {
        return callId + ";from-tag=" + fromTag;
    }

    /**
     * Where in-dialog requests go: the first route, else the remote target, when they are IP literals; otherwise
     * (and for a UAS dialog without routes, whose caller may sit behind NAT) where the dialog's first message came
     * from or went to.
     */
    Destination destination() {
        if (routeSet.isEmpty() && uas) {
            return fallback;
        }
        Uri next = routeSet.isEmpty() ? remoteTarget : NameAddress.parse(routeSet.get(0)).uri();
        return next instanceof SipUri sip ? Destination.ofLiteral(sip).orElse(fallback) : fallback;
    }

    /** A request in this dialog (RFC 3261 12.2.1.1) with the next local CSeq, or {@code seq} when not negative. */
    SipRequest.Builder request(String method, String requestUri, long seq) {
        SipRequest.Builder b = SipRequest.builder(method, requestUri).addHeader(HeaderNames.MAX_FORWARDS, "70");
        routeSet.forEach(r -> b.addHeader(HeaderNames.ROUTE, r));
        return b.addHeader(HeaderNames.FROM, localHeader)
                .addHeader(HeaderNames.TO, remoteHeader)
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, (seq >= 0 ? seq : localSeq.incrementAndGet()) + " " + method);
    }

    void stopTimers() {
        AckWait w = ackWait;
        if (w != null) {
            w.acknowledge();
        }
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
