package org.switchboard.testapps.overload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;

/**
 * An application with a fixed capacity whatever the machine: each INVITE's observer holds one shared resource for
 * {@code overload.hold} ms (system property, default 50) before it answers 200, so calls beyond 1000 / hold per
 * second queue in the container however fast the machine is.
 */
@ApplicationScoped
public class OneAtATimeApp {

    private static final Object RESOURCE = new Object();

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) throws InterruptedException {
        synchronized (RESOURCE) {
            Thread.sleep(Long.getLong("overload.hold", 50)); // the resource's service time: what makes the capacity fixed
        }
        srf.createUas(invite, UasOptions.withSdp("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"));
    }
}
