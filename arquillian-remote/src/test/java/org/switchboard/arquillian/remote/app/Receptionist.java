package org.switchboard.arquillian.remote.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Message;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The deployed application: answers every call, and tells how many it answered in the 200 to a MESSAGE
 * ({@code X-Calls}): a remote test asks the application over SIP, not through an injected bean.
 */
@ApplicationScoped
public class Receptionist {

    private static final String SDP = "v=0\r\no=receptionist 7 7 IN IP4 127.0.0.1\r\ns=receptionist\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 41000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";

    private final AtomicInteger answered = new AtomicInteger();

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        answered.incrementAndGet();
        srf.createUas(invite, UasOptions.withSdp(SDP));
    }

    void onMessage(@Observes @Message SipRequest message) {
        srf.respond(message, SipResponse.builder(200).setHeader("X-Calls", Integer.toString(answered.get())).build());
    }
}
