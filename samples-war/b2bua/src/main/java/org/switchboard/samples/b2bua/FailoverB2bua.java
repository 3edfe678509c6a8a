package org.switchboard.samples.b2bua;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.B2buaOptions;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * Bridges each INVITE to the first destination that answers: the destinations are tried in order, a failure
 * of one moves on to the next (one that does not ring within 2 s counts as failed), and only the last one's
 * failure goes back to the caller. A CANCEL from the caller cancels the destination being tried. The
 * destinations come from the system property {@code switchboard.samples.b2bua.targets} (comma separated
 * host:port), by default 127.0.0.1:5090 then 127.0.0.1:5091.
 */
@ApplicationScoped
public class FailoverB2bua {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverB2bua.class);

    @Inject
    Srf srf;

    private final List<String> targets = Arrays.stream(System.getProperty("switchboard.samples.b2bua.targets",
            "127.0.0.1:5090,127.0.0.1:5091").split("\\s*,\\s*")).toList();

    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        bridge(invite, user, 0);
    }

    private void bridge(SipRequest invite, String user, int index) {
        boolean last = index == targets.size() - 1;
        String target = "sip:" + (user.isEmpty() ? "" : user + "@") + targets.get(index);
        // a destination that does not even ring within 2 s is given up (CANCEL, 408) in favour of the next
        RequestOptions to = RequestOptions.to(target).provisionalTimeout(Duration.ofSeconds(2)).build();
        srf.createB2bua(invite, B2buaOptions.to(to).passFailure(last).propagate("Subject"))
                .whenComplete((call, error) -> {
                    if (error == null) {
                        LOG.debug("bridged {} to {}", call.uas().id(), target);
                        return;
                    }
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    boolean canceled = cause instanceof SipError e && e.status() == 487;
                    if (!last && !canceled) {
                        LOG.debug("{} failed ({}), trying the next destination", target, cause.getMessage());
                        bridge(invite, user, index + 1);
                    }
                });
    }
}
