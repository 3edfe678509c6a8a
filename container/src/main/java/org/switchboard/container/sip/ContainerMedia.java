package org.switchboard.container.sip;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.switchboard.mrf.MediaSignaling;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;

/**
 * Media in the container: the SIP side the media framework uses (calls to media servers and answers to callers,
 * both through the container's own call handling), and the media servers each application is given.
 *
 * <p>Threads: {@link #use} happens before deploying; the rest may be called from any thread.
 */
public final class ContainerMedia {

    private final SipCore core;
    // the media servers; null while the container runs without media
    private volatile MediaServers servers;
    // the endpoints the applications made, by channel UUID, until their channel ends
    private final Map<String, MediaOwner> owners = new ConcurrentHashMap<>();

    ContainerMedia(SipCore core) {
        this.core = core;
    }

    /** The SIP side the media framework places its calls and answers its callers through. */
    public MediaSignaling signaling() {
        return new MediaSignals(core);
    }

    /** From now on applications are given {@code pool}; without it the container has no media. */
    public void use(MediaServers pool) {
        this.servers = pool;
    }

    /** Whether applications are given media servers. */
    public boolean enabled() {
        return servers != null;
    }

    /** The media servers {@code app} is given: what it creates belongs to its calls, their events come to it. */
    public MediaServers servers(Application app) {
        return of(app);
    }

    /** The first media server, as {@code app} is given it. */
    public MediaServer defaultServer(Application app) {
        return of(app).first();
    }

    /** Who made the endpoint whose channel is {@code uuid} on a media server; empty for another channel. */
    public Optional<MediaOwner> owner(String uuid) {
        return Optional.ofNullable(owners.get(uuid));
    }

    /** Notes that {@code owner} made {@code endpoint}, until its channel ends. */
    void owned(Endpoint endpoint, MediaOwner owner) {
        String uuid = endpoint.uuid();
        owners.put(uuid, owner);
        endpoint.destroyed().whenComplete((cause, e) -> owners.remove(uuid, owner));
    }

    private ApplicationMedia of(Application app) {
        MediaServers pool = servers;
        if (pool == null) {
            throw new IllegalStateException("the container runs without media (media.mode none)");
        }
        return new ApplicationMedia(core, app, pool);
    }
}
