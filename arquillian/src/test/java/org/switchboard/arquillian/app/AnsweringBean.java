package org.switchboard.arquillian.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;

/** The deployed application's call side: answers every INVITE with 200 and an SDP answer, and remembers the Call-IDs. */
@ApplicationScoped
public class AnsweringBean {

    private static final String ANSWER = "v=0\r\no=test 1 1 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    private final List<String> answered = new CopyOnWriteArrayList<>();

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        answered.add(invite.callId().orElse(""));
        srf.createUas(invite, UasOptions.withSdp(ANSWER));
    }

    /** The Call-IDs of the INVITEs answered so far. */
    public List<String> answered() {
        return List.copyOf(answered);
    }
}
