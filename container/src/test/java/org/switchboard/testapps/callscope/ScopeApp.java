package org.switchboard.testapps.callscope;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.app.B2buaOptions;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.SipUri;

/**
 * Handles each call by its Request-URI user and records it in the call's {@link CallRecord}: {@code scope-reject}
 * gets 403, {@code scope-ring} rings until canceled, {@code scope-silent} is never answered,
 * {@code scope-b2bua-PORT} is bridged to 127.0.0.1:PORT, any other user is answered.
 */
@ApplicationScoped
public class ScopeApp {

    static final String SDP = "v=0\r\no=scope 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Inject
    Srf srf;

    @Inject
    CallRecord record;

    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        record.start(user, "INVITE");
        CompletableFuture.runAsync(() -> { // off the call's lane: no call scope there
            try {
                record.saw("elsewhere");
                Report.add("outside", "active");
            } catch (ContextNotActiveException expected) {
                Report.add("outside", "ContextNotActiveException");
            }
        });
        if (user.equals("scope-reject")) {
            srf.respond(invite, 403);
        } else if (user.equals("scope-ring")) {
            srf.respond(invite, SipResponse.builder(180).build());
        } else if (user.startsWith("scope-b2bua-")) {
            String port = user.substring("scope-b2bua-".length());
            srf.createB2bua(invite, B2buaOptions.to(RequestOptions.to("sip:bob@127.0.0.1:" + port).build()));
        } else if (!user.equals("scope-silent")) {
            srf.createUas(invite, UasOptions.withSdp(SDP));
        }
    }

    void onDialogEvent(@Observes DialogEvent event) {
        record.saw(event.type().name());
    }
}
