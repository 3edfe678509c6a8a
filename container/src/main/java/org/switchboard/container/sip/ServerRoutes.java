package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.DrachtioClient;

/**
 * The routes the container holds on each inbound drachtio connection: the methods (and CDR kinds) it takes, kept
 * equal to what the active applications want as deployments come and go, and withdrawn for good once the container
 * drains, so that the server sends new requests to other applications.
 *
 * <p>Threads: any; the map of connections is guarded by this object's monitor, each connection's set of routes by
 * the set itself, so that one connection's route commands go out in the order they were decided.
 */
final class ServerRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRoutes.class);

    private final Map<DrachtioClient, Set<String>> routes = new HashMap<>();
    // completes once every route command sent so far is answered (or failed, which is logged)
    private final AtomicReference<CompletableFuture<Void>> answered = new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile boolean withdrawn;

    /** Holds routes on {@code client} from now on (an inbound connection, which reconnects by itself). */
    synchronized void add(DrachtioClient client) {
        routes.put(client, new HashSet<>());
    }

    /** Forgets {@code client}: the container closes it on purpose. */
    synchronized void remove(DrachtioClient client) {
        routes.remove(client);
    }

    /** Whether the container holds routes on {@code client}, so that losing it is a fault it recovers from. */
    synchronized boolean holdsRoutesOn(DrachtioClient client) {
        return routes.containsKey(client);
    }

    /**
     * Registers and removes routes on every connection so that they are {@code wanted} (none once withdrawn);
     * completes when the server answered each removal this sent.
     */
    CompletableFuture<Void> update(Set<String> wanted) {
        Set<String> target = withdrawn ? Set.of() : wanted;
        Map<DrachtioClient, Set<String>> snapshot;
        synchronized (this) {
            snapshot = new HashMap<>(routes);
        }
        List<CompletableFuture<?>> removals = new ArrayList<>();
        snapshot.forEach((client, current) -> {
            synchronized (current) {
                for (String verb : target) {
                    if (current.add(verb)) {
                        CompletableFuture<Void> route = client.route(verb).<Void>thenApply(frame -> null).exceptionally(e -> {
                            LOG.warn("SBC-101 route {} not registered: {}", verb, e.getMessage());
                            return null;
                        });
                        answered.updateAndGet(before -> CompletableFuture.allOf(before, route));
                    }
                }
                for (String verb : new ArrayList<>(current)) {
                    if (!target.contains(verb) && current.remove(verb)) {
                        removals.add(client.removeRoute(verb));
                    }
                }
            }
        });
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    /** Completes once the server answered every route registration sent so far. */
    CompletableFuture<Void> answered() {
        return answered.get();
    }

    /** Removes every route and registers none again; completes when the server answered each removal. */
    CompletableFuture<Void> withdraw() {
        withdrawn = true;
        return update(Set.of());
    }
}
