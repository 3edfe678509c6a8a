package org.switchboard.testapps.features;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.SipMethod;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/** Answers INVITEs after the middleware ran, fails on purpose for user {@code feat-boom}, and reports what it saw. */
@ApplicationScoped
public class FeatureApp {

    static final String SDP = "v=0\r\no=features 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Inject
    Srf srf;

    @Traced
    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        if (user.equals("feat-boom")) {
            throw new IllegalStateException("boom");
        }
        Report.add("order", srf.attributes(invite).get("order"));
        Report.add("container", srf.attributes(invite).get("container"));
        Report.add("hidden", hidden("org.switchboard.container.Container") && hidden("io.netty.channel.Channel")
                && hidden("org.switchboard.samples.uas.AnsweringService"));
        srf.createUas(invite, UasOptions.withSdp(SDP)).thenAccept(d -> d.addListener(e -> Report.add("listener", e.type())));
    }

    void onMessage(@Observes @SipMethod("MESSAGE") SipRequest message) {
        srf.respond(message, 202);
    }

    void onDialog(@Observes DialogEvent event) {
        Report.add("events", event.type());
    }

    void onCdr(@Observes CdrEvent cdr) {
        Report.add("cdrs", cdr.type());
    }

    private boolean hidden(String className) {
        try {
            Class.forName(className, false, getClass().getClassLoader());
            return false;
        } catch (ClassNotFoundException expected) {
            return true;
        }
    }
}
