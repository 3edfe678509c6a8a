package org.switchboard.bench.ivr;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Message;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.SipUri;

/**
 * The application {@code scripts/bench-ivr} deploys (built by the script, not part of the Maven build): an INVITE to
 * {@code bench-<prompt>} is answered with a media server ({@code connectCaller}), hears {@code <prompt>.wav} from the
 * media server's sounds folder once, and is hung up by the application. A MESSAGE to {@code bench-clock} is answered
 * with the media clock's report ({@code switchboard_media_clock}, the embedded media server's api command), which
 * the script reads before and after its measuring window.
 */
@ApplicationScoped
public class IvrBenchmarkApp {

    private static final Logger LOG = LoggerFactory.getLogger(IvrBenchmarkApp.class);

    @Inject
    MediaServers media;

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        String prompt = user(invite).substring("bench-".length()) + ".wav";
        media.connectCaller(invite)
                // the caller is hung up whether the prompt played or not, so that no call outlives a failure
                .thenCompose(caller -> caller.endpoint().play(prompt).whenComplete((played, e) -> caller.dialog().destroy()))
                .whenComplete((x, error) -> {
                    if (error != null) {
                        LOG.warn("benchmark call {} failed: {}", invite.callId().orElse(""), error.toString());
                    }
                });
    }

    void onMessage(@Observes @Message SipRequest message) {
        media.select().api("switchboard_media_clock")
                .thenCompose(report -> srf.respond(message, SipResponse.forRequest(message, 200)
                        .body("text/plain", report).build()))
                .whenComplete((x, error) -> {
                    if (error != null) {
                        LOG.warn("clock report failed: {}", error.toString());
                    }
                });
    }

    private static String user(SipRequest request) {
        return request.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
    }
}
