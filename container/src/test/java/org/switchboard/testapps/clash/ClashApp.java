package org.switchboard.testapps.clash;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.message.SipRequest;

/** Observes INVITE; deployed with the same routing as the features application, it must be refused. */
@ApplicationScoped
public class ClashApp {

    void onInvite(@Observes @Invite SipRequest invite) {
    }
}
