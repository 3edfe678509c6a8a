package org.switchboard.sip.stack.ua;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.uri.Uri;

/** Dialog state (RFC 3261 12.1): identifiers, sequence numbers, target and route set. */
final class DialogImpl implements Dialog {

    private final UserAgent ua;
    private final String callId;
    private final String localTag;
    private final String remoteTag;
    private final String localAddress;
    private final String remoteAddress;
    private final Uri remoteTarget;
    private final List<String> routeSet;
    private final Destination fallback;
    private final String remoteSdp;
    private final AtomicLong localSeq;
    private final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    private volatile boolean confirmed;
    // UAS: the 2xx being retransmitted until the ACK comes (RFC 3261 13.3.1.4)
    private volatile AckWait ackWait;
    // UAC: the ACK sent for the 2xx, sent again for each 2xx retransmission
    private volatile SipRequest ack;

    DialogImpl(UserAgent ua, String callId, String localTag, String remoteTag, String localAddress,
               String remoteAddress, Uri remoteTarget, List<String> routeSet, Destination fallback,
               String remoteSdp, long localSeq) {
        this.ua = ua;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.remoteTarget = remoteTarget;
        this.routeSet = List.copyOf(routeSet);
        this.fallback = fallback;
        this.remoteSdp = remoteSdp;
        this.localSeq = new AtomicLong(localSeq);
    }

    static String key(String callId, String localTag, String remoteTag) {
        return callId + '|' + localTag + '|' + remoteTag;
    }

    String key() {
        return key(callId, localTag, remoteTag);
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String localTag() {
        return localTag;
    }

    @Override
    public String remoteTag() {
        return remoteTag;
    }

    @Override
    public Uri remoteTarget() {
        return remoteTarget;
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    @Override
    public boolean isConfirmed() {
        return confirmed;
    }

    void confirm() {
        confirmed = true;
        AckWait w = ackWait;
        if (w != null) {
            w.acknowledge();
        }
    }

    void awaitAck(AckWait wait) {
        ackWait = wait;
        if (confirmed) {
            wait.acknowledge(); // confirmed meanwhile (both fields are volatile: one side sees the other)
        }
    }

    SipRequest ack() {
        return ack;
    }

    void ack(SipRequest ack) {
        this.ack = ack;
        confirmed = true;
    }

    /** Where in-dialog requests go: the first route, else the remote target, else where the dialog began. */
    Destination destination() {
        Uri next = routeSet.isEmpty() ? remoteTarget : ua.uriOf(routeSet.get(0));
        return ua.resolve(next, fallback);
    }

    /** A request within this dialog (RFC 3261 12.2.1.1); {@code seq} is taken from the local sequence unless given. */
    SipRequest.Builder request(String method, long seq) {
        SipRequest.Builder b = SipRequest.builder(method, remoteTarget.toString())
                .addHeader(HeaderNames.MAX_FORWARDS, "70");
        routeSet.forEach(r -> b.addHeader(HeaderNames.ROUTE, r));
        return b.addHeader(HeaderNames.FROM, localAddress)
                .addHeader(HeaderNames.TO, remoteAddress)
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, (seq >= 0 ? seq : localSeq.incrementAndGet()) + " " + method);
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        return ua.bye(this, EndReason.LOCAL_BYE);
    }

    void end(EndReason reason) {
        confirm();
        ended.complete(reason);
        ua.forget(this);
    }

    @Override
    public CompletableFuture<EndReason> ended() {
        return ended.copy();
    }

    @Override
    public String toString() {
        return "dialog " + callId + " local=" + localTag + " remote=" + remoteTag;
    }
}
