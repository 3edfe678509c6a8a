package org.switchboard.mrf;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.message.SipRequest;

/**
 * {@code connectCaller} for one server and for a pool alike: an endpoint made with the INVITE's offer by
 * {@code create} (which may try several servers), then the caller answered with its SDP; a caller who cannot be
 * given media gets 480, a caller gone before the answer leaves no endpoint behind.
 */
final class Callers {

    private Callers() {
    }

    static CompletionStage<ConnectedCaller> connect(SipRequest invite, EndpointOptions options, MediaSignaling signaling,
                                                    Function<EndpointOptions, CompletionStage<Endpoint>> create) {
        if (options.remoteSdp().isPresent()) {
            throw new IllegalArgumentException("connectCaller offers the INVITE's SDP; options must not carry one");
        }
        String offer = invite.bodyAsString();
        EndpointOptions withOffer = new EndpointOptions(offer.isEmpty() ? Optional.empty() : Optional.of(offer),
                options.headers(), options.codecs());
        return create.apply(withOffer).handle((endpoint, e) -> {
            if (e != null) {
                signaling.reject(invite, 480, "media server unavailable");
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return endpoint;
        }).thenCompose(endpoint -> signaling.answer(invite, endpoint.localSdp()).handle((dialog, e) -> {
            if (e != null) {
                endpoint.destroy();
                throw new CompletionException(new MediaException.HungUp("the caller left before the answer: "
                        + Events.failure("answer", e, null).getMessage()));
            }
            return new ConnectedCaller(dialog, endpoint);
        }));
    }
}
