package org.switchboard.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.switchboard.media.sdp.Sdp;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * A call and its dialog (RFC 3261 section 12). Its state changes only on the phone's lane; the test's thread reads
 * volatile fields and waits on futures.
 */
final class PhoneCall implements Call {

    private static final String SDP = "application/sdp";

    private final Phone phone;
    private final String callId;
    private final SipRequest invite;
    private final CallMedia media;
    private final CompletableFuture<SipResponse> provisional = new CompletableFuture<>();
    private final CompletableFuture<SipResponse> finalResponse = new CompletableFuture<>();
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    private volatile State state;
    // the dialog (lane only)
    private String localParty;
    private String remoteParty;
    private Uri remoteTarget;
    private List<String> routeSet = List.of();
    private Destination destination;
    private long localCseq;
    private ClientTransaction inviteTx;
    private ServerTransaction serverInvite;
    private SipRequest lastAck;
    /** The SDP answer of a received call, sent with its 200. */
    private String pendingAnswer;
    /** The last 2xx this side sent to an INVITE, sent again until its ACK comes. */
    private Reliable2xx pending2xx;

    private PhoneCall(Phone phone, String callId, SipRequest invite, CallMedia media, State state) {
        this.phone = phone;
        this.callId = callId;
        this.invite = invite;
        this.media = media;
        this.state = state;
    }

    // ---- placing -------------------------------------------------------------------------------------------------

    /** Sends the INVITE for a new call to {@code target} (on the lane). */
    static PhoneCall place(Phone phone, String target, Destination destination, Map<String, String> headers) {
        String callId = TransactionLayer.randomToken(20) + "@" + phone.local.hostForUri();
        Recorder recorder = new Recorder(phone.config.recordLimit(), phone.config.user(),
                () -> phone.ladder.render(Optional.of(callId)));
        CallMedia media = CallMedia.open(phone, recorder);
        String from = "<" + phone.aor() + ">;tag=" + TransactionLayer.randomToken(10);
        SipRequest.Builder b = SipRequest.builder("INVITE", target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, from)
                .addHeader(HeaderNames.TO, "<" + target + ">")
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, "1 INVITE")
                .addHeader(HeaderNames.CONTACT, phone.contact())
                .addHeader(HeaderNames.ALLOW, Phone.ALLOW)
                .addHeader(HeaderNames.USER_AGENT, phone.config.product());
        Requests.withHeadersAndBody(b, headers, SDP, media.offer(Sdp.Direction.SENDRECV));
        SipRequest invite = b.build();
        PhoneCall call = new PhoneCall(phone, callId, invite, media, State.CALLING);
        call.localParty = from;
        call.remoteParty = invite.headers().first(HeaderNames.TO).orElseThrow();
        call.destination = destination;
        call.localCseq = 1;
        call.inviteTx = phone.requests.send(invite, destination, call::onInviteResponse, call.finalResponse);
        call.finalResponse.whenComplete((r, failure) -> {
            if (failure != null) {
                phone.post(() -> call.end(End.FAILED));
            }
        });
        return call;
    }

    private void onInviteResponse(ClientTransaction tx, SipResponse response) {
        inviteTx = tx; // after a challenge, the authenticated INVITE's transaction (and CSeq)
        localCseq = Math.max(localCseq, tx.request().cseq().number());
        if (response.isProvisional()) {
            provisional.complete(response);
            return;
        }
        if (!response.isSuccess()) {
            finalResponse.complete(response);
            end(response.status() == 487 ? End.CANCELLED : End.REJECTED);
            return;
        }
        if (state != State.CALLING) { // a retransmitted 2xx: its ACK was lost
            onStrayResponse(response);
            return;
        }
        remoteParty = response.headers().first(HeaderNames.TO).orElseThrow();
        remoteTarget = contactOf(response).orElse(invite.requestUri());
        List<String> routes = new ArrayList<>(response.headers().values(HeaderNames.RECORD_ROUTE));
        Collections.reverse(routes);
        routeSet = List.copyOf(routes);
        media.applyAnswer(response.bodyAsString()); // an answer without G.711 leaves the media silent, as it would be
        state = State.ANSWERED;
        sendAck(response.cseq().number());
        finalResponse.complete(response);
    }

    private void sendAck(long cseq) {
        Destination to = inDialogDestination();
        SipRequest ack = inDialog("ACK", cseq).build();
        phone.ladder.sent(ack, to.address(), phone.config.transport());
        lastAck = phone.stack.transactions().sendStateless(ack, to);
    }

    void onStrayResponse(SipResponse response) {
        if (response.isSuccess() && response.cseq().method().equals("INVITE") && lastAck != null
                && lastAck.cseq().number() == response.cseq().number()) {
            phone.ladder.sent(lastAck, inDialogDestination().address(), phone.config.transport());
            phone.stack.transactions().sendStateless(lastAck.toBuilder().removeFirstHeader(HeaderNames.VIA).build(),
                    inDialogDestination());
        }
    }

    // ---- receiving -----------------------------------------------------------------------------------------------

    /** A new INVITE (on the lane): rings (180), answers at once with auto-answer; 488 without G.711 in its offer. */
    static Optional<PhoneCall> receive(Phone phone, ServerTransaction tx) {
        SipRequest invite = tx.request();
        String callId = invite.callId().orElseThrow();
        Recorder recorder = new Recorder(phone.config.recordLimit(), phone.config.user(),
                () -> phone.ladder.render(Optional.of(callId)));
        CallMedia media = CallMedia.open(phone, recorder);
        PhoneCall call = new PhoneCall(phone, callId, invite, media, State.RINGING);
        String tag = TransactionLayer.randomToken(10);
        call.localParty = invite.to().withTag(tag).toString();
        call.remoteParty = invite.headers().first(HeaderNames.FROM).orElseThrow();
        call.remoteTarget = contactOf(invite).orElse(invite.requestUri());
        call.routeSet = List.copyOf(invite.headers().values(HeaderNames.RECORD_ROUTE));
        call.destination = new Destination(tx.incoming().transport(), tx.incoming().remote());
        call.serverInvite = tx;
        Optional<String> answer = invite.bodyLength() == 0 ? Optional.empty() : media.answer(invite.bodyAsString());
        if (answer.isEmpty()) {
            phone.respond(tx, Requests.response(invite, 488, tag));
            call.end(End.REJECTED);
            return Optional.empty();
        }
        phone.respond(tx, Requests.response(invite, 180, tag));
        call.pendingAnswer = answer.get();
        if (phone.config.autoAnswer()) {
            call.sendOk();
        }
        return Optional.of(call);
    }

    private CompletableFuture<Void> sendOk() {
        if (state != State.RINGING) {
            return CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not ringing"));
        }
        state = State.ANSWERED;
        return send2xx(serverInvite, pendingAnswer);
    }

    /** Sends a 2xx with SDP to an INVITE, again until its ACK; BYE when none comes. */
    private CompletableFuture<Void> send2xx(ServerTransaction tx, String sdp) {
        SipResponse ok = Requests.response(tx.request(), 200, NameAddress.parse(localParty).tag().orElseThrow()).toBuilder()
                .addHeader(HeaderNames.CONTACT, phone.contact())
                .addHeader(HeaderNames.ALLOW, Phone.ALLOW)
                .body(SDP, sdp).build();
        pending2xx = Reliable2xx.send(phone, tx, ok, () -> {
            if (state == State.ANSWERED) {
                sendBye(End.FAILED);
            }
        });
        return pending2xx.acked();
    }

    void onAck(SipRequest ack) {
        if (pending2xx != null && pending2xx.ack(ack.cseq().number()) && ack.bodyLength() > 0) {
            media.applyAnswer(ack.bodyAsString()); // the answer to the offer a 2xx made for an INVITE without one
        }
    }

    void cancelledByPeer() {
        if (state == State.RINGING) {
            phone.respond(serverInvite, Requests.response(invite, 487, NameAddress.parse(localParty).tag().orElseThrow()));
            end(End.CANCELLED);
        }
    }

    /** A request within this dialog (on the lane). */
    void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        switch (request.method()) {
            case "BYE" -> {
                phone.respond(tx, Requests.response(request, 200));
                end(End.REMOTE_BYE);
            }
            case "INVITE" -> {
                Optional<String> answer = request.bodyLength() == 0 ? Optional.of(media.offer(Sdp.Direction.SENDRECV))
                        : media.answer(request.bodyAsString());
                contactOf(request).ifPresent(c -> remoteTarget = c);
                if (answer.isEmpty()) {
                    phone.respond(tx, Requests.response(request, 488));
                } else {
                    send2xx(tx, answer.get());
                }
            }
            default -> phone.respond(tx, phone.answerOutsideCalls(request));
        }
    }

    // ---- in-dialog requests --------------------------------------------------------------------------------------

    private SipRequest.Builder inDialog(String method, long cseq) {
        SipRequest.Builder b = SipRequest.builder(method, remoteTarget);
        routeSet.forEach(r -> b.addHeader(HeaderNames.ROUTE, r));
        return b.addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, localParty)
                .addHeader(HeaderNames.TO, remoteParty)
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, cseq + " " + method)
                .addHeader(HeaderNames.USER_AGENT, phone.config.product());
    }

    /** The first route's address, else the remote target's, else where the dialog began. */
    private Destination inDialogDestination() {
        Uri next = routeSet.isEmpty() ? remoteTarget : NameAddress.parse(routeSet.get(0)).uri();
        return next instanceof SipUri sip ? Destination.ofLiteral(sip)
                .map(d -> new Destination(destination.transport(), d.address())).orElse(destination) : destination;
    }

    private CompletableFuture<SipResponse> sendInDialog(SipRequest.Builder request) {
        return phone.requests.send(request.build(), inDialogDestination());
    }

    private CompletableFuture<SipResponse> sendBye(End reason) {
        CompletableFuture<SipResponse> response = sendInDialog(inDialog("BYE", ++localCseq));
        end(reason);
        return response;
    }

    private CompletableFuture<SipResponse> reinvite(Sdp.Direction direction) {
        if (state != State.ANSWERED) {
            return CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not answered"));
        }
        long cseq = ++localCseq;
        SipRequest.Builder b = inDialog("INVITE", cseq)
                .addHeader(HeaderNames.CONTACT, phone.contact())
                .body(SDP, media.offer(direction));
        return sendInDialog(b).thenApply(response -> {
            if (response.isSuccess()) {
                media.applyAnswer(response.bodyAsString());
                sendAck(response.cseq().number());
            }
            return response;
        });
    }

    // ---- the end -------------------------------------------------------------------------------------------------

    private void end(End reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        media.close();
        phone.forget(this);
        ended.complete(reason);
    }

    /** Ends the call without waiting (the phone closes): BYE when answered, CANCEL when calling, 480 when ringing. */
    void abandon() {
        switch (state) {
            case ANSWERED -> sendBye(End.LOCAL_BYE);
            case CALLING -> {
                if (inviteTx != null && provisional.isDone()) {
                    sendCancel();
                }
                end(End.CANCELLED);
            }
            case RINGING -> {
                phone.respond(serverInvite, Requests.response(invite, 480, NameAddress.parse(localParty).tag().orElseThrow()));
                end(End.REJECTED);
            }
            default -> {
            }
        }
    }

    private static Optional<Uri> contactOf(SipMessage message) {
        List<NameAddress> contacts = message.contacts();
        return contacts.isEmpty() ? Optional.empty() : Optional.of(contacts.get(0).uri());
    }

    // ---- the test's side (work goes to the lane; waits have deadlines) -------------------------------------------

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public SipRequest invite() {
        return invite;
    }

    @Override
    public int awaitFinalStatus(Duration within) {
        return phone.await(finalResponse, within, "the final response to the INVITE", Optional.of(callId)).status();
    }

    @Override
    public void awaitAnswered(Duration within) {
        int status = awaitFinalStatus(within);
        if (status >= 300) {
            throw phone.failure("the call to " + invite.requestUriText() + " was answered " + status
                    + " instead of 2xx", Optional.of(callId));
        }
    }

    @Override
    public void answer() {
        phone.await(phone.onLane(this::sendOk), phone.config.timeout(), "the ACK of the 200", Optional.of(callId));
    }

    @Override
    public void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("a rejection is 300-699, was " + status);
        }
        phone.await(phone.onLane(() -> {
            if (state != State.RINGING) {
                return CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not ringing"));
            }
            phone.respond(serverInvite, Requests.response(invite, status, NameAddress.parse(localParty).tag().orElseThrow()));
            end(End.REJECTED);
            return CompletableFuture.completedFuture(null);
        }), phone.config.timeout(), "the rejection to be sent", Optional.of(callId));
    }

    @Override
    public void cancel() {
        phone.await(provisional, phone.config.timeout(), "a provisional response before CANCEL", Optional.of(callId));
        phone.await(phone.onLane(() -> {
            if (state != State.CALLING) {
                return CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not calling"));
            }
            sendCancel();
            return CompletableFuture.completedFuture(null);
        }), phone.config.timeout(), "the CANCEL to be sent", Optional.of(callId));
        int status = awaitFinalStatus(phone.config.timeout());
        if (status != 487) {
            throw phone.failure("the cancelled INVITE was answered " + status + " instead of 487", Optional.of(callId));
        }
    }

    @Override
    public void hangUp() {
        SipResponse response = phone.await(phone.onLane(() -> state == State.ANSWERED ? sendBye(End.LOCAL_BYE)
                : CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not answered"))),
                phone.config.timeout(), "the final response to BYE", Optional.of(callId));
        if (!response.isSuccess()) {
            throw phone.failure("BYE was answered " + response.startLine(), Optional.of(callId));
        }
    }

    @Override
    public End awaitEnded(Duration within) {
        return phone.await(ended, within, "the call to end", Optional.of(callId));
    }

    @Override
    public void hold() {
        reinviteAndCheck(Sdp.Direction.SENDONLY);
    }

    @Override
    public void unhold() {
        reinviteAndCheck(Sdp.Direction.SENDRECV);
    }

    private void reinviteAndCheck(Sdp.Direction direction) {
        SipResponse response = phone.await(phone.onLane(() -> reinvite(direction)), phone.config.timeout(),
                "the final response to the re-INVITE (" + direction + ")", Optional.of(callId));
        if (!response.isSuccess()) {
            throw phone.failure("the re-INVITE was answered " + response.startLine(), Optional.of(callId));
        }
    }

    @Override
    public SipResponse request(String method, Map<String, String> headers, String contentType, String body) {
        return phone.await(phone.onLane(() -> {
            if (state != State.ANSWERED) {
                return CompletableFuture.failedFuture(new IllegalStateException("the call is " + state + ", not answered"));
            }
            SipRequest.Builder b = inDialog(method, ++localCseq);
            Requests.withHeadersAndBody(b, headers, contentType, body);
            return sendInDialog(b);
        }), phone.config.timeout(), "the final response to " + method, Optional.of(callId));
    }

    @Override
    public SipResponse info(String contentType, String body) {
        return request("INFO", Map.of(), contentType, body);
    }

    @Override
    public void play(Path wav) {
        media.play(wav);
    }

    @Override
    public void playTone(double hz, Duration length) {
        media.playTone(hz, length.toMillis());
    }

    @Override
    public void playSilence(Duration length) {
        media.playSilence(length.toMillis());
    }

    @Override
    public void playInbandDigits(String digits) {
        media.playInbandDigits(digits);
    }

    @Override
    public void stopPlaying() {
        media.stopPlaying();
    }

    @Override
    public void awaitPlayed(Duration within) {
        phone.await(media.played(), within, "the end of what plays", Optional.of(callId));
    }

    @Override
    public void sendDigits(String digits) {
        media.sendDigits(digits);
    }

    @Override
    public Ear ear() {
        return media.recorder();
    }

    @Override
    public String ladder() {
        return phone.ladder.render(Optional.of(callId));
    }

    @Override
    public String toString() {
        return "call " + callId + " (" + state + ")";
    }

    /** Sends CANCEL for the INVITE; its outcome shows in the INVITE's 487, so its responses only go on the ladder. */
    private void sendCancel() {
        ClientTransaction cancel = phone.stack.transactions().sendCancel(inviteTx,
                new org.switchboard.sip.stack.transaction.ResponseListener() {
                    @Override
                    public void onResponse(ClientTransaction tx, SipResponse response) {
                        phone.ladder.received(response, tx.destination().address(), phone.config.transport());
                    }

                    @Override
                    public void onTimeout(ClientTransaction tx) {
                    }

                    @Override
                    public void onTransportError(ClientTransaction tx,
                                                 org.switchboard.sip.stack.transport.TransportError error) {
                    }
                });
        phone.ladder.sent(cancel.request(), cancel.destination().address(), phone.config.transport());
    }
}
