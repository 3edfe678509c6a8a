package org.switchboard.sip.stack.ua;

import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.Uri;

/**
 * A call's dialog in the user agent: its RFC 3261 state is a {@link DialogState}; this adds the session the user
 * agent reports (the peer's SDP, how the call ended) and its end.
 *
 * <p>Threads: the state is thread-safe; the end is a future completed once, by whichever thread ends the call (a
 * transport event loop with the BYE or CANCEL, the user agent's timer thread on an ACK timeout, an application's
 * thread hanging up).
 */
final class DialogImpl implements Dialog {

    private final UserAgent ua;
    private final DialogState state;
    private final String remoteSdp;
    private final CompletableFuture<EndReason> ended = new CompletableFuture<>();

    DialogImpl(UserAgent ua, DialogState state, String remoteSdp) {
        this.ua = ua;
        this.state = state;
        this.remoteSdp = remoteSdp;
    }

    /** The key of the user agent's map: the RFC 3261 dialog id (Call-ID, local tag, remote tag). */
    static String key(String callId, String localTag, String remoteTag) {
        return callId + '|' + localTag + '|' + remoteTag;
    }

    String key() {
        return key(state.callId(), state.localTag(), state.remoteTag());
    }

    DialogState state() {
        return state;
    }

    @Override
    public String callId() {
        return state.callId();
    }

    @Override
    public String localTag() {
        return state.localTag();
    }

    @Override
    public String remoteTag() {
        return state.remoteTag();
    }

    @Override
    public Uri remoteTarget() {
        return state.remoteTarget();
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    @Override
    public boolean isConfirmed() {
        return state.isAcked();
    }

    @Override
    public CompletableFuture<SipResponse> bye() {
        return ua.bye(this, EndReason.LOCAL_BYE);
    }

    void end(EndReason reason) {
        state.end();
        ended.complete(reason);
        ua.forget(this);
    }

    @Override
    public CompletableFuture<EndReason> ended() {
        return ended.copy();
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
