package org.switchboard.testapps.mediaother;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.media.DtmfEvent;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * A second media application: connects its callers and plays {@code prompt.wav}; reports (in {@code mediaother.*}
 * system properties) its endpoints' channels and the channel of every media event it observes.
 */
@ApplicationScoped
public class OtherApp {

    @Inject
    MediaServers media;

    void onInvite(@Observes @Invite SipRequest invite) {
        media.connectCaller(invite).thenCompose(caller -> {
            report("uuid", caller.endpoint().uuid());
            return caller.endpoint().play("prompt.wav");
        }).whenComplete((r, e) -> report("played", e == null ? "ok" : e.toString()));
    }

    void onEvent(@Observes EslEvent event) {
        report("event-uuids", event.header("Unique-ID").orElse("none"));
    }

    void onDtmf(@Observes DtmfEvent dtmf) {
        report("dtmf", dtmf.digit());
    }

    private static synchronized void report(String key, Object value) {
        String k = "mediaother." + key;
        String before = System.getProperty(k);
        System.setProperty(k, before == null ? String.valueOf(value) : before + "," + value);
    }
}
