package org.switchboard.testapps.watchdog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * Never answers a call to {@code silent}, answers any other; reports each dialog's end reason in the system
 * property {@code watchdog.destroyed} (comma separated), for the test to read across class loaders.
 */
@ApplicationScoped
public class WatchdogApp {

    static final String SDP = "v=0\r\no=watchdog 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        if (!user.equals("silent")) {
            srf.createUas(invite, UasOptions.withSdp(SDP));
        }
    }

    void onDialogEvent(@Observes DialogEvent event) {
        if (event.type() == DialogEvent.Type.DESTROY) {
            synchronized (WatchdogApp.class) {
                String before = System.getProperty("watchdog.destroyed");
                System.setProperty("watchdog.destroyed", before == null ? event.reason() : before + "," + event.reason());
            }
        }
    }
}
