package org.switchboard.testapps.mediaother;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.media.DtmfEvent;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaServers;

/** Is given the media servers but creates nothing: no media event may reach it (counted in {@code mediaother.events}). */
@ApplicationScoped
public class OtherApp {

    @Inject
    MediaServers media;

    void onEvent(@Observes EslEvent event) {
        count();
    }

    void onDtmf(@Observes DtmfEvent dtmf) {
        count();
    }

    private static synchronized void count() {
        System.setProperty("mediaother.events", Integer.toString(Integer.getInteger("mediaother.events", 0) + 1));
    }
}
