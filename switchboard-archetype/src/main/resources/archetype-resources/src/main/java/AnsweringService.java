package ${package};

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;

/** Answers every call with 200 and an SDP answer (signalling only: it plays nothing), and counts them. */
@ApplicationScoped
public class AnsweringService {

    // where the answer says media would go: nothing listens there, this application only signals
    private static final String ANSWER = "v=0\r\no=app 1 1 IN IP4 127.0.0.1\r\ns=app\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    private final AtomicInteger answered = new AtomicInteger();

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        answered.incrementAndGet();
        srf.createUas(invite, UasOptions.withSdp(ANSWER));
    }

    /** How many calls this application answered. */
    public int answered() {
        return answered.get();
    }
}
