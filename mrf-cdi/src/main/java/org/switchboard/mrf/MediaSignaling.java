package org.switchboard.mrf;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.message.SipRequest;

/**
 * The SIP side of the media framework: places the call that creates a media server channel. The framework builds
 * the request's target and correlation headers ({@code User-Agent: drachtio-fsmrf:<id>}, {@code X-esl-outbound});
 * an implementation sends the INVITE, ACKs the 2xx (for an offer in the 2xx, with an answer of its own making) and
 * answers the server's BYE.
 */
public interface MediaSignaling {

    /**
     * Sends an INVITE.
     *
     * @param requestUri where to ({@code sip:drachtio@<ip>:<port>})
     * @param headers headers to add, in order
     * @param sdp the offer, or empty for third-party call control
     * @return completes when the call is established, fails with the SIP failure
     */
    CompletionStage<MediaCall> invite(String requestUri, Map<String, String> headers, Optional<String> sdp);

    /**
     * Answers a caller's INVITE with the media server's SDP (the caller side of {@code connectCaller}).
     *
     * @return completes with the caller's dialog once answered; fails when the caller is gone
     */
    CompletionStage<Dialog> answer(SipRequest invite, String sdp);

    /** Answers a caller's INVITE with a failure (the media server could not take the call). */
    void reject(SipRequest invite, int status, String reason);

    /** An established call to the media server. */
    interface MediaCall {

        /**
         * Sends a re-INVITE with a new offer ({@code sdp}) within the call.
         *
         * @return completes with the media server's answer once the 2xx is ACKed; fails with the SIP failure
         */
        CompletionStage<String> modify(String sdp);

        /** Ends the call with a BYE unless it has ended; completes when it has. */
        CompletionStage<Void> hangup();
    }
}
