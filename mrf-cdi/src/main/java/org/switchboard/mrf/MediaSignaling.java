package org.switchboard.mrf;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

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

    /** An established call to the media server. */
    interface MediaCall {

        /** Ends the call with a BYE unless it has ended; completes when it has. */
        CompletionStage<Void> hangup();
    }
}
