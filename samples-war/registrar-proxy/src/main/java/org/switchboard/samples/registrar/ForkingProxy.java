package org.switchboard.samples.registrar;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.ProxyOptions;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * Proxies each INVITE to every contact registered for its Request-URI user at once (forking), staying in the
 * dialog's path with Record-Route; a user with no contact gets 480.
 */
@ApplicationScoped
public class ForkingProxy {

    private static final Logger LOG = LoggerFactory.getLogger(ForkingProxy.class);

    @Inject
    Srf srf;

    @Inject
    LocationService locations;

    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        List<String> contacts = locations.lookup(user);
        if (contacts.isEmpty()) {
            srf.respond(invite, 480);
            return;
        }
        srf.proxy(invite, ProxyOptions.to(contacts.toArray(String[]::new)).withRecordRoute().withSimultaneousForking())
                .whenComplete((result, error) -> LOG.debug("proxied {} to {}: {}", user, contacts,
                        error != null ? error.toString() : result.finalStatus()));
    }
}
