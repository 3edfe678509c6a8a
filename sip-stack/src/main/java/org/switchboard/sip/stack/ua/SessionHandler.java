package org.switchboard.sip.stack.ua;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * What a {@link UserAgent} asks when it answers calls on behalf of something with media of its own (a media
 * server): the SDP for each offer, and what came in ACKs. The user agent keeps the SIP side (2xx retransmission
 * until the ACK, BYE when none comes, BYE and CANCEL handling); the handler owns the sessions.
 *
 * <p>Called on a transport event loop: implementations must not block there, and complete the returned stages
 * from any thread.
 */
public interface SessionHandler {

    /**
     * The decision for an offer (or for an INVITE without one).
     *
     * @param status 200 to accept, or a 4xx-6xx rejection
     * @param sdp the SDP for a 200 (an answer, or this side's offer when the INVITE had none)
     * @param warning for a rejection, the text of the {@code Warning} header (code 399) that says why
     */
    record Answer(int status, Optional<String> sdp, Optional<String> warning) {
        public Answer {
            Objects.requireNonNull(sdp, "sdp");
            Objects.requireNonNull(warning, "warning");
            if (status < 200 || status > 699) {
                throw new IllegalArgumentException("status must be a final status 200-699, was " + status);
            }
            if (status < 300 && sdp.isEmpty()) {
                throw new IllegalArgumentException("a 2xx answer needs an SDP body");
            }
        }

        /** Accepts with {@code sdp}. */
        public static Answer accept(String sdp) {
            return new Answer(200, Optional.of(sdp), Optional.empty());
        }

        /** Rejects with {@code status}. */
        public static Answer reject(int status) {
            return new Answer(status, Optional.empty(), Optional.empty());
        }

        /** Rejects with {@code status} and a {@code Warning} saying {@code why}. */
        public static Answer reject(int status, String why) {
            return new Answer(status, Optional.empty(), Optional.of(why));
        }
    }

    /** A new INVITE that creates {@code dialog}; its SDP, if any, is the request's body. */
    CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage incoming);

    /** A re-INVITE within {@code dialog} (hold, unhold, new remote address...). */
    CompletionStage<Answer> onReinvite(Dialog dialog, SipRequest reinvite);

    /** The ACK of a 2xx to an INVITE, carrying the answer when the INVITE had no offer (empty body otherwise). */
    void onAck(Dialog dialog, SipRequest ack);

    /** An INFO within {@code dialog} (DTMF relay, for instance); the user agent answers it 200. */
    default void onInfo(Dialog dialog, SipRequest info) {
    }
}
