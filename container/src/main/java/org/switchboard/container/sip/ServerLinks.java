package org.switchboard.container.sip;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.drachtio.client.DrachtioClient;

/**
 * The connections to drachtio servers the core sends new requests through: each inbound connection (one per server
 * the container is connected to) for as long as the container holds it, and each connection a server opened for a
 * call (outbound mode) until it closes. What the server sent is answered, and its dialog handled, on the connection
 * it came from (the request and the dialog keep it); this only picks the connection of a request an application
 * starts.
 *
 * <p>Threads: any.
 */
final class ServerLinks {

    private final List<DrachtioClient> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    void add(DrachtioClient client) {
        links.add(client);
    }

    void remove(DrachtioClient client) {
        links.remove(client);
    }

    /**
     * The connection for a new request: {@code call}'s while it is connected (a leg an application starts while handling
     * a call goes through the server the call came from), else the next connected one in turn (the most recent one a
     * server opened in outbound mode, when none is connected); null when there is none at all.
     */
    DrachtioClient pick(Optional<DrachtioClient> call) {
        if (call.isPresent() && call.get().isConnected()) {
            return call.get();
        }
        List<DrachtioClient> all = List.copyOf(links);
        int start = Math.floorMod(next.getAndIncrement(), Math.max(all.size(), 1));
        for (int i = 0; i < all.size(); i++) {
            DrachtioClient c = all.get((start + i) % all.size());
            if (c.isConnected()) {
                return c;
            }
        }
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }
}
