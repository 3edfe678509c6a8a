package org.switchboard.testapps.mediapool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionException;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * Connects each caller to an endpoint of the media pool, plays the sound its request-URI's user names
 * ({@code sip:prompt@...} plays {@code prompt.wav}) and hangs up. When the play fails it does nothing more, as the
 * IVR sample does: ending a call whose media server is lost is the container's part. Reports each play it starts
 * in the {@code mediapool.playing} system property, each failure's exception class in {@code mediapool.failed},
 * and each refused caller in {@code mediapool.refused}.
 */
@ApplicationScoped
public class PoolApp {

    @Inject
    MediaServers media;

    void onInvite(@Observes @Invite SipRequest invite) {
        String uri = invite.requestUriText();
        String sound = uri.substring(uri.indexOf(':') + 1, uri.indexOf('@')) + ".wav";
        media.connectCaller(invite).whenComplete((caller, error) -> {
            if (error != null) {
                report("refused", cause(error));
                return;
            }
            report("playing", sound);
            caller.endpoint().play(sound).whenComplete((r, e) -> {
                if (e == null) {
                    caller.dialog().destroy();
                } else {
                    report("failed", cause(e));
                }
            });
        });
    }

    private static String cause(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName();
    }

    private static synchronized void report(String key, String value) {
        String k = "mediapool." + key;
        String before = System.getProperty(k);
        System.setProperty(k, before == null ? value : before + "," + value);
    }
}
