package org.switchboard.samples.registrar;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.Register;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.uri.SipUri;

/** A registrar (RFC 3261 section 10): REGISTERs that passed {@link Authentication} update the {@link LocationService}. */
@ApplicationScoped
public class Registrar {

    private static final int DEFAULT_EXPIRES = 3600;

    @Inject
    Srf srf;

    @Inject
    LocationService locations;

    void onRegister(@Observes @Register SipRequest register) {
        String user = register.to().uri() instanceof SipUri uri ? uri.user().orElse("") : "";
        int defaultExpires = register.header("Expires").map(String::trim).map(Integer::parseInt).orElse(DEFAULT_EXPIRES);
        SipResponse.Builder ok = SipResponse.builder(200);
        for (NameAddress contact : register.contacts()) {
            int expires = contact.parameters().get("expires").map(Integer::parseInt).orElse(defaultExpires);
            locations.bind(user, contact.uri().toString(), expires);
        }
        // every binding the user has, each with the time it has left (RFC 3261): SIP.js, for one, reads its refresh time there
        for (LocationService.Binding binding : locations.bindings(user)) {
            ok.addHeader("Contact", "<" + binding.contact() + ">;expires=" + binding.expiresIn());
        }
        srf.respond(register, ok.addHeader("Expires", Integer.toString(defaultExpires)).build());
    }
}
