package org.switchboard.sip.stack.ua;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.uri.Parameters;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * The state of one SIP dialog and the rules RFC 3261 section 12 (with 13.2.2.4 and 13.3.1.4) sets over it: the
 * dialog's identifiers, local and remote URIs, local and remote CSeq, remote target and route set; how a request or
 * a 2xx creates it, how requests from the peer and 2xx to this side's requests update it (target refresh, the route
 * set of the 2xx that confirms an early dialog, CSeq order), how a request within it is built (loose and strict
 * routing), the ACK of this side's INVITE and its resending for a retransmitted 2xx, and the wait for the ACK of a
 * 2xx this side sent.
 *
 * <p>This is the one dialog layer of the stack: the user agent's {@link Dialog} (a call as its session handler and
 * callers see it) and the embedded drachtio server's dialogs (kept for the app that owns them) each hold one, and
 * add only what is theirs. It sends nothing itself: it builds requests and says where they go.
 *
 * <p>Header values it writes (From, To, Contact, Route) are in name-addr form ({@code <sip:...>}).
 *
 * <p>Threads: safe for any thread. The identifiers are final; the remote target, route set, sequence numbers and
 * ACK bookkeeping change under this object's monitor, held only for those field updates (a transport event loop
 * delivering a request or response, an application's thread building a request, a timer thread ending the dialog).
 */
public final class DialogState {

    /** Which side of the dialog-creating request this one was. */
    public enum Role {
        /** This side received the request that created the dialog. */
        UAS,
        /** This side sent it. */
        UAC
    }

    /** Requests that replace the remote target with their Contact (RFC 3261 12.2, RFC 3311, RFC 6665). */
    private static final Set<String> TARGET_REFRESH = Set.of("INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY");
    /** The ceiling of a chosen initial CSeq number (RFC 3261 8.1.1.5 asks for less than 2^31). */
    private static final long INITIAL_SEQ_BOUND = 1 << 20;

    private final Role role;
    private final String callId;
    private final String localTag;
    private final String remoteTag;
    private final String localUri;
    private final String remoteUri;
    private final String localContact;
    private final Destination origin;
    private final boolean subscription;
    private Uri remoteTarget;
    private List<String> routeSet;
    private boolean confirmed;
    private long localSeq;
    private long remoteSeq;
    private long localInviteSeq;
    private AckWait ackWait;
    private long ackedSeq = -1;
    private SipRequest ackSent;
    private boolean ended;

    private DialogState(Role role, String callId, String localTag, String remoteTag, String localUri, String remoteUri,
                        String localContact, Uri remoteTarget, List<String> routeSet, boolean confirmed, long localSeq,
                        long remoteSeq, Destination origin, boolean subscription) {
        this.role = role;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.localUri = nameAddr(localUri);
        this.remoteUri = nameAddr(remoteUri);
        this.localContact = localContact.isEmpty() ? "" : nameAddr(localContact);
        this.remoteTarget = remoteTarget;
        this.routeSet = routeSet.stream().map(DialogState::nameAddr).toList();
        this.confirmed = confirmed;
        this.localSeq = localSeq;
        this.remoteSeq = remoteSeq;
        this.localInviteSeq = role == Role.UAC && subscription ? -1 : localSeq;
        this.origin = origin;
        this.subscription = subscription;
    }

    /**
     * The dialog this side makes as UAS by answering {@code request} (an INVITE or SUBSCRIBE) with a 2xx, or a
     * reliable 1xx for an early dialog (RFC 3261 12.1.1): the route set is the request's Record-Route in order, the
     * remote target its Contact, the remote CSeq its CSeq; the local CSeq is empty until this side sends a request.
     *
     * @param localTag the To tag of the response
     * @param localContact the Contact of the response (empty when it has none)
     * @param confirmed whether the response is a 2xx (else the dialog is early)
     * @param origin where the request came from: where requests go when the next hop is not an IP literal
     */
    public static DialogState asUas(SipRequest request, String localTag, String localContact, boolean confirmed,
                                    Destination origin) {
        NameAddress from = request.from();
        return new DialogState(Role.UAS, request.callId().orElseThrow(), Objects.requireNonNull(localTag, "localTag"),
                from.tag().orElse(""), request.to().withTag(localTag).toString(),
                request.headers().first(HeaderNames.FROM).orElseThrow(), localContact,
                contactUri(request).orElse(from.uri()), request.headers().values(HeaderNames.RECORD_ROUTE), confirmed,
                -1, request.cseq().number(), Objects.requireNonNull(origin, "origin"), request.isMethod("SUBSCRIBE"));
    }

    /**
     * The dialog a 2xx or reliable 1xx with a To tag to this side's {@code request} makes (RFC 3261 12.1.2): the
     * route set is the response's Record-Route in reverse order, the remote target its Contact, the local CSeq the
     * request's; the remote CSeq is empty until the peer sends a request.
     *
     * @param origin where the request was sent: where requests go when the next hop is not an IP literal
     */
    public static DialogState asUac(SipRequest request, SipResponse response, Destination origin) {
        List<String> routeSet = new ArrayList<>(response.headers().values(HeaderNames.RECORD_ROUTE));
        Collections.reverse(routeSet);
        return new DialogState(Role.UAC, request.callId().orElseThrow(), request.from().tag().orElseThrow(),
                response.to().tag().orElseThrow(), request.headers().first(HeaderNames.FROM).orElseThrow(),
                response.headers().first(HeaderNames.TO).orElseThrow(),
                request.headers().first(HeaderNames.CONTACT).orElse(""),
                contactUri(response).orElse(request.requestUri()), routeSet, response.isSuccess(),
                request.cseq().number(), -1, Objects.requireNonNull(origin, "origin"), request.isMethod("SUBSCRIBE"));
    }

    /** Which side of the creating request this one was. */
    public Role role() {
        return role;
    }

    /** Whether this side answered the creating request. */
    public boolean isUas() {
        return role == Role.UAS;
    }

    /** The Call-ID. */
    public String callId() {
        return callId;
    }

    /** This side's tag. */
    public String localTag() {
        return localTag;
    }

    /** The peer's tag. */
    public String remoteTag() {
        return remoteTag;
    }

    /** This side's Contact as written in the creating request or response; empty when there was none. */
    public String localContact() {
        return localContact;
    }

    /** Where the creating request came from (UAS) or went (UAC). */
    public Destination origin() {
        return origin;
    }

    /** Whether a SUBSCRIBE created the dialog (RFC 6665), rather than an INVITE. */
    public boolean isSubscription() {
        return subscription;
    }

    /** Where requests within the dialog are addressed: the peer's last Contact. */
    public synchronized Uri remoteTarget() {
        return remoteTarget;
    }

    /** The route set, first hop first, in name-addr form. */
    public synchronized List<String> routeSet() {
        return routeSet;
    }

    /** Whether a 2xx made or confirmed the dialog (else it is early, from a reliable 1xx). */
    public synchronized boolean isConfirmed() {
        return confirmed;
    }

    /** Whether {@link #end} was called. */
    public synchronized boolean isEnded() {
        return ended;
    }

    /**
     * Whether {@code request}, from either side, ends this dialog because it ends the subscription a SUBSCRIBE made
     * (RFC 6665): a NOTIFY whose Subscription-State is {@code terminated}, or a SUBSCRIBE with {@code Expires: 0}.
     * The NOTIFYs of a REFER inside an INVITE dialog end only the REFER's implicit subscription, not the dialog.
     */
    public boolean endsSubscription(SipRequest request) {
        if (!subscription) {
            return false;
        }
        if (request.isMethod("NOTIFY")) {
            return request.header("Subscription-State")
                    .map(v -> v.strip().toLowerCase(Locale.ROOT).startsWith("terminated")).orElse(false);
        }
        return request.isMethod("SUBSCRIBE") && request.header("Expires").map(String::strip).filter("0"::equals).isPresent();
    }

    /** Whether {@code request} from the peer belongs to this dialog: its Call-ID, and its To and From tags ours and theirs. */
    public boolean isFromPeer(SipMessage request) {
        return callId.equals(request.callId().orElse("")) && localTag.equals(request.to().tag().orElse(""))
                && remoteTag.equals(request.from().tag().orElse(""));
    }

    /** Whether {@code response} answers a request this side sent in this dialog: its From tag ours, its To tag theirs. */
    public boolean isResponseInDialog(SipResponse response) {
        return callId.equals(response.callId().orElse("")) && localTag.equals(response.from().tag().orElse(""))
                && remoteTag.equals(response.to().tag().orElse(""));
    }

    /**
     * A request from the peer within the dialog (RFC 3261 12.2.2): returns false when its CSeq is below the last one
     * the peer sent (the request is out of order and must be answered 500). Otherwise its CSeq becomes the remote
     * one and a target refresh request (INVITE, UPDATE, SUBSCRIBE, NOTIFY) with a Contact replaces the remote target.
     * ACK and CANCEL carry the CSeq of the request they belong to and change nothing.
     */
    public synchronized boolean receive(SipRequest request) {
        if (request.isMethod("ACK") || request.isMethod("CANCEL")) {
            return true;
        }
        long seq = request.cseq().number();
        if (remoteSeq >= 0 && seq < remoteSeq) {
            return false;
        }
        remoteSeq = seq;
        if (TARGET_REFRESH.contains(request.method())) {
            contactUri(request).ifPresent(uri -> remoteTarget = uri);
        }
        return true;
    }

    /**
     * A response to {@code request}, which this side sent within the dialog or which created it. A 2xx to a target
     * refresh request replaces the remote target with its Contact (RFC 3261 12.2.1.2); the 2xx that confirms an
     * early dialog this side's INVITE made also replaces the route set with its Record-Route (RFC 3261 13.2.2.4).
     */
    public synchronized void onResponse(SipRequest request, SipResponse response) {
        if (!response.isSuccess()) {
            return;
        }
        if (!confirmed && role == Role.UAC) {
            List<String> routes = new ArrayList<>(response.headers().values(HeaderNames.RECORD_ROUTE));
            Collections.reverse(routes);
            routeSet = routes.stream().map(DialogState::nameAddr).toList();
        }
        confirmed = true;
        if (TARGET_REFRESH.contains(request.method())) {
            contactUri(response).ifPresent(uri -> remoteTarget = uri);
        }
    }

    /** A 2xx this side sent confirms a dialog a reliable 1xx made early (UAS). */
    public synchronized void confirm() {
        confirmed = true;
    }

    /** A request within the dialog to its remote target, with the next local CSeq (see {@link #request(String, String)}). */
    public SipRequest.Builder request(String method) {
        return request(method, remoteTarget().toString());
    }

    /**
     * A request within the dialog (RFC 3261 12.2.1.1) addressed to {@code target} in place of the remote target: From,
     * To, Call-ID, CSeq (the next local number, chosen at random below 2^20 when this side has sent none), Max-Forwards
     * and the route set. With a loose-routing first route ({@code ;lr}) or none, the Request-URI is the target and the
     * route set the Route; with a strict router first, the Request-URI is that route's URI and the target ends the
     * Route. An INVITE's number is remembered for its {@link #ack()}.
     */
    public SipRequest.Builder request(String method, String target) {
        long seq;
        List<String> routes;
        synchronized (this) {
            if (localSeq < 0) {
                localSeq = ThreadLocalRandom.current().nextLong(1, INITIAL_SEQ_BOUND);
            } else {
                localSeq++;
            }
            seq = localSeq;
            if (method.equals("INVITE")) {
                localInviteSeq = seq;
            }
            routes = routeSet;
        }
        return build(method, target, routes, seq);
    }

    /**
     * A request built by {@link #request} as it finally went out, when its user may have changed the CSeq (the
     * embedded drachtio server sends what an app wrote): a higher number becomes the local CSeq, and an INVITE's
     * number is the one its ACK takes.
     */
    public synchronized void sent(SipRequest request) {
        long seq = request.cseq().number();
        localSeq = Math.max(localSeq, seq);
        if (request.isMethod("INVITE")) {
            localInviteSeq = seq;
        }
    }

    /** The ACK of the 2xx to the last INVITE this side sent in the dialog (RFC 3261 13.2.2.4). */
    public SipRequest.Builder ack() {
        long seq;
        synchronized (this) {
            if (localInviteSeq < 0) {
                throw new IllegalStateException("no INVITE was sent in " + this);
            }
            seq = localInviteSeq;
        }
        return ack(seq);
    }

    /** The ACK of the 2xx to this side's INVITE numbered {@code inviteSeq}. */
    public SipRequest.Builder ack(long inviteSeq) {
        return build("ACK", remoteTarget().toString(), routeSet(), inviteSeq);
    }

    private SipRequest.Builder build(String method, String target, List<String> routes, long seq) {
        boolean strict = !routes.isEmpty() && !isLooseRouter(routes.get(0));
        SipRequest.Builder b = SipRequest.builder(method, strict ? requestUriOf(routes.get(0)) : target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70");
        routes.stream().skip(strict ? 1 : 0).forEach(r -> b.addHeader(HeaderNames.ROUTE, r));
        if (strict) {
            b.addHeader(HeaderNames.ROUTE, "<" + target + ">");
        }
        return b.addHeader(HeaderNames.FROM, localUri)
                .addHeader(HeaderNames.TO, remoteUri)
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, seq + " " + method);
    }

    /** The next hop of requests within the dialog: the first route's URI, else the remote target. */
    public synchronized Uri nextHop() {
        return routeSet.isEmpty() ? remoteTarget : NameAddress.parse(routeSet.get(0)).uri();
    }

    /** Where requests within the dialog go: the next hop when it is an IP literal, else the {@link #origin}. */
    public Destination destination() {
        return nextHop() instanceof SipUri sip ? Destination.ofLiteral(sip).orElse(origin) : origin;
    }

    // ---- the ACK of a 2xx (RFC 3261 13.2.2.4 and 13.3.1.4) ------------------------------------------------------

    /**
     * The wait for the ACK of a 2xx this side just sent to an INVITE; it replaces (and stops) the wait for an earlier
     * 2xx. Once the dialog has ended the wait is stopped at once.
     */
    public synchronized void awaitAck(AckWait wait) {
        Objects.requireNonNull(wait, "wait");
        if (ackWait != null) {
            ackWait.acknowledge();
        }
        ackWait = wait;
        if (ended) {
            wait.acknowledge();
        }
    }

    /** Whether a 2xx of this side is being sent again for want of its ACK. */
    public synchronized boolean isAwaitingAck() {
        return ackWait != null;
    }

    /**
     * An ACK from the peer: the 2xx with its CSeq is not sent again. Returns whether this ACK is new, false for a
     * retransmission (or an ACK older than the last), which the dialog's user passes on to nobody.
     */
    public synchronized boolean acknowledged(SipRequest ack) {
        long seq = ack.cseq().number();
        if (ackWait != null && ackWait.response().cseq().number() == seq) {
            ackWait.acknowledge();
            ackWait = null;
        }
        if (seq <= ackedSeq) {
            return false;
        }
        ackedSeq = seq;
        return true;
    }

    /** The ACK this side sent for a 2xx, kept to be sent again for each retransmission of that 2xx. */
    public synchronized void ackSent(SipRequest ack) {
        ackSent = ack;
    }

    /** Whether this side sent an ACK (UAC) or received one (UAS) in the dialog. */
    public synchronized boolean isAcked() {
        return ackSent != null || ackedSeq >= 0;
    }

    /** The ACK to send again for {@code ok}, a retransmission of a 2xx this side ACKed; empty for any other response. */
    public synchronized Optional<SipRequest> ackFor(SipResponse ok) {
        return ackSent != null && ok.isSuccess() && ok.cseq().method().equals("INVITE")
                && ackSent.cseq().number() == ok.cseq().number() ? Optional.of(ackSent) : Optional.empty();
    }

    /** The dialog is over: the 2xx is not sent again, and later waits stop at once. Idempotent. */
    public synchronized void end() {
        ended = true;
        if (ackWait != null) {
            ackWait.acknowledge();
            ackWait = null;
        }
    }

    // ---- header forms ---------------------------------------------------------------------------------------

    private static boolean isLooseRouter(String route) {
        try {
            return !(NameAddress.parse(route).uri() instanceof SipUri sip) || sip.parameters().contains("lr");
        } catch (SipParseException e) {
            return true;
        }
    }

    /** A strict router's Route as a Request-URI: its URI without URI headers, which a Request-URI may not carry. */
    private static String requestUriOf(String route) {
        Uri uri = NameAddress.parse(route).uri();
        return uri instanceof SipUri sip && !sip.headers().isEmpty()
                ? sip.toBuilder().headers(Parameters.of()).build().toString() : uri.toString();
    }

    private static Optional<Uri> contactUri(SipMessage message) {
        try {
            List<NameAddress> contacts = message.contacts();
            return contacts.isEmpty() ? Optional.empty() : Optional.of(contacts.get(0).uri());
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** An address header value in name-addr form, as written when it does not parse. */
    private static String nameAddr(String value) {
        try {
            NameAddress a = NameAddress.parse(value);
            return NameAddress.of(a.displayName(), a.uri(), a.parameters()).toString();
        } catch (SipParseException e) {
            return value;
        }
    }

    @Override
    public String toString() {
        return "dialog " + callId + " local=" + localTag + " remote=" + remoteTag;
    }
}
