package org.switchboard.mrf;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;

/**
 * Connects to media servers, as drachtio-fsmrf's {@code Mrf#connect} does: authenticates on the server's inbound
 * event socket, subscribes to its heartbeats, finds the SIP profile's address with {@code sofia status}, and opens
 * the listener the server connects back to once per channel.
 */
public final class Mrf {

    private Mrf() {
    }

    /**
     * Connects to one media server.
     *
     * @param config the server's event socket, this side's listener, the deadlines
     * @param signaling places the SIP calls that create endpoints
     * @return completes with the server once it is ready; fails with a {@link org.switchboard.sip.media.MediaException}
     *         when it cannot be reached, refuses the password, or does not run the profile
     */
    public static CompletionStage<MediaServer> connect(MrfConfig config, MediaSignaling signaling) {
        return EslMediaServer.connect(Objects.requireNonNull(config, "config"), Objects.requireNonNull(signaling, "signaling"));
    }

    /**
     * The servers as one pool: each operation goes to the least loaded connected server and, when that server
     * fails it, to the next (see {@link MediaServers}).
     *
     * @param servers connected servers, in configuration order (ties go to the first)
     * @param signaling answers and rejects the callers of {@link MediaServers#connectCaller}
     */
    public static MediaServers pool(List<MediaServer> servers, MediaSignaling signaling) {
        return new MediaPool(Objects.requireNonNull(servers, "servers"), Objects.requireNonNull(signaling, "signaling"));
    }
}
