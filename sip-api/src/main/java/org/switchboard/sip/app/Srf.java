package org.switchboard.sip.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The signalling resource framework an application is given ({@code @Inject Srf srf}): it answers the
 * requests the application observes, creates dialogs as UAS, UAC or back-to-back, proxies, and sends requests
 * outside dialogs. Each operation completes its stage when the SIP exchange is over; a SIP failure completes
 * it with a {@link SipError}.
 *
 * <p>A {@code SipRequest} passed to {@code respond}, {@code createUas}, {@code createB2bua} or {@code proxy}
 * must be one the application received from the container; each may be answered once.
 */
public interface Srf {

    /** Answers {@code request} with {@code status} and its usual reason phrase. */
    default CompletionStage<Void> respond(SipRequest request, int status) {
        return respond(request, SipResponse.builder(status).build());
    }

    /**
     * Answers {@code request} with {@code response}: its status line, headers and body. Via, From, To,
     * Call-ID and CSeq are taken from the request; a To tag given here names the dialog's local tag.
     */
    CompletionStage<Void> respond(SipRequest request, SipResponse response);

    /**
     * Accepts an INVITE (or SUBSCRIBE) with a 2xx carrying {@code options}' SDP and headers; completes with
     * the dialog once the response is sent (for INVITE the ACK is reported as a {@link DialogEvent.Type#ACK}
     * event). Fails with {@link SipError} 487 if the caller canceled first.
     */
    CompletionStage<Dialog> createUas(SipRequest request, UasOptions options);

    /**
     * Sends an INVITE (or SUBSCRIBE) and completes with the dialog when a 2xx arrives (the ACK is sent);
     * a final failure completes it with {@link SipError}. A 401/407 is answered once with the options'
     * credentials. Canceling the returned future sends CANCEL, or ends the dialog if it was already answered.
     */
    CompletableFuture<Dialog> createUac(RequestOptions options);

    /**
     * Bridges {@code request} (an INVITE) to a new call to {@code options}' target: the B leg gets the A
     * leg's SDP (or the options' SDP), the A leg gets the B leg's answer, provisional and final failures are
     * passed back when {@code passFailure} is set, and a CANCEL from A cancels B. Completes with both
     * dialogs once A is answered; a B leg that answers after A went away is ended at once.
     */
    CompletionStage<B2bua> createB2bua(SipRequest request, B2buaOptions options);

    /** Forwards {@code request} statefully and completes with what happened. */
    CompletionStage<ProxyResult> proxy(SipRequest request, ProxyOptions options);

    /**
     * Sends a request outside a dialog (OPTIONS, MESSAGE, REGISTER, ...) and completes with its final
     * response, whatever its status. A 401/407 is answered once with the options' credentials.
     */
    CompletionStage<SipResponse> request(RequestOptions options);

    /** What middleware left on {@code request} (e.g. the authenticated user); empty for a request the container did not deliver. */
    Map<String, Object> attributes(SipRequest request);
}
