package org.switchboard.container.sip;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.mrf.MediaSignaling;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The SIP side of media in the container: calls to a media server are the container's own calls, placed through
 * the drachtio connection as an application's {@code createUac} is (so they are in the {@link Calls} registry
 * like any other and leave it when they end); callers are answered and rejected on their pending request as
 * {@code createUas} and {@code respond} do, for the application that holds the request.
 */
final class MediaSignals implements MediaSignaling {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSignals.class);

    /** The owner of the calls to media servers: observes nothing, so their dialog events go nowhere. */
    static final Application MEDIA = Application.observingNothing("media");

    private final SipCore core;

    MediaSignals(SipCore core) {
        this.core = core;
    }

    @Override
    public CompletionStage<MediaCall> invite(String requestUri, Map<String, String> headers, Optional<String> sdp) {
        RequestOptions.Builder b = RequestOptions.to(requestUri);
        headers.forEach(b::header);
        sdp.ifPresent(b::sdp);
        // the 2xx of an offerless INVITE is ACKed without an answer: the channel's media waits on hold
        return core.send(MEDIA, b.build(), Outgoing.Kind.UAC).result.thenApply(d -> new Call((Dialog) d));
    }

    /** A call to a media server over the container's own dialog. */
    private record Call(Dialog dialog) implements MediaCall {

        @Override
        public CompletionStage<String> modify(String sdp) {
            return dialog.modify(sdp).thenApply(response -> dialog.remoteSdp());
        }

        @Override
        public CompletionStage<Void> hangup() {
            return dialog.destroy();
        }
    }

    @Override
    public CompletionStage<Dialog> answer(SipRequest invite, String sdp) {
        return core.pending(invite)
                .map(in -> new SrfImpl(core, in.application).createUas(invite, UasOptions.withSdp(sdp)))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException(
                        "the caller's INVITE is no longer pending (answered, canceled or timed out)")));
    }

    @Override
    public void reject(SipRequest invite, int status, String reason) {
        core.pending(invite).ifPresent(in -> core.respond(in, SipResponse.builder(status).reason(reason).build())
                .exceptionally(e -> {
                    LOG.debug("{} to {} not sent: {}", status, invite.callId().orElse(""), e.toString());
                    return null;
                }));
    }
}
