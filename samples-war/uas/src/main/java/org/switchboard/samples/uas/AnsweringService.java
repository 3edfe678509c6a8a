package org.switchboard.samples.uas;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;

/** Answers every INVITE it is routed with 200 and an SDP answer (PCMU), and logs how calls end. */
@ApplicationScoped
public class AnsweringService {

    private static final Logger LOG = LoggerFactory.getLogger(AnsweringService.class);
    private static final String ANSWER = "v=0\r\no=switchboard 1 1 IN IP4 127.0.0.1\r\ns=switchboard sample uas\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    @Inject
    Srf srf;

    void onInvite(@Observes @Invite SipRequest invite) {
        srf.createUas(invite, UasOptions.withSdp(ANSWER).withHeader("X-Sample", "uas"))
                .whenComplete((dialog, error) -> {
                    if (error != null) {
                        LOG.debug("call not answered: {}", error.toString());
                    } else {
                        LOG.debug("answered {}", dialog.id());
                    }
                });
    }

    void onDialog(@Observes DialogEvent event) {
        if (event.type() == DialogEvent.Type.DESTROY) {
            LOG.debug("call {} ended: {}", event.dialog().id(), event.reason());
        }
    }
}
