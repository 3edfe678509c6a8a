package org.switchboard.sip.stack.ua;

import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.Uri;

/**
 * A call of the {@link UserAgent}: the dialog an INVITE created, as the user agent's callers and session handler see
 * it (identifiers, the peer's SDP, hanging up, the end). Its RFC 3261 state and rules are the stack's
 * {@link DialogState}, which the embedded drachtio server's dialogs hold too.
 */
public interface Dialog {

    /** Why a dialog ended. */
    enum EndReason {
        /** The peer sent BYE. */
        REMOTE_BYE,
        /** This side sent BYE. */
        LOCAL_BYE,
        /** The 2xx was retransmitted for 64 T1 without an ACK, so this side sent BYE (RFC 3261 13.3.1.4). */
        ACK_TIMEOUT,
        /** The INVITE was cancelled before it was answered. */
        CANCELLED,
        /** The INVITE was rejected with a final non-2xx response. */
        REJECTED
    }

    /** The Call-ID. */
    String callId();

    /** This side's tag. */
    String localTag();

    /** The peer's tag. */
    String remoteTag();

    /** Where in-dialog requests go: the peer's Contact. */
    Uri remoteTarget();

    /** The peer's session description (its offer or answer), empty when it sent none. */
    String remoteSdp();

    /** Whether the INVITE that created the dialog was ACKed (UAS) or ACK was sent (UAC). */
    boolean isConfirmed();

    /** Sends BYE; completes with the final response, exceptionally on timeout or transport failure. */
    CompletableFuture<SipResponse> bye();

    /** Completes when the dialog ends, with the reason. */
    CompletableFuture<EndReason> ended();
}
