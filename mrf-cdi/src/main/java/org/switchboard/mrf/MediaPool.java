package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * Media servers as one: each endpoint goes to the connected server with the fewest sessions (its last reported
 * figure plus the endpoints this pool is making there, since figures come seconds apart), and to the next one when
 * that server fails it. A server whose event socket is down is skipped until it is back.
 */
final class MediaPool implements MediaServers {

    private static final Logger LOG = LoggerFactory.getLogger(MediaPool.class);

    private final List<MediaServer> servers;
    private final MediaSignaling signaling;
    private final Map<MediaServer, AtomicInteger> starting = new IdentityHashMap<>();

    MediaPool(List<MediaServer> servers, MediaSignaling signaling) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one media server");
        }
        this.servers = List.copyOf(servers);
        this.signaling = signaling;
        this.servers.forEach(s -> starting.put(s, new AtomicInteger()));
    }

    @Override
    public List<MediaServer> servers() {
        return servers;
    }

    /** The connected servers, least loaded first; configuration order among equals. */
    List<MediaServer> candidates() {
        List<MediaServer> up = new ArrayList<>();
        for (MediaServer s : servers) {
            if (s.isConnected()) {
                up.add(s);
            }
        }
        up.sort(Comparator.comparingInt(s -> s.load().currentSessions() + starting.get(s).get()));
        return up;
    }

    @Override
    public MediaServer select() {
        List<MediaServer> up = candidates();
        if (up.isEmpty()) {
            throw new MediaException("no media server is connected (" + addresses() + ")");
        }
        return up.get(0);
    }

    private List<String> addresses() {
        return servers.stream().map(MediaServer::address).toList();
    }

    @Override
    public CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options) {
        return Callers.connect(invite, options, signaling, this::createEndpoint);
    }

    @Override
    public CompletionStage<Endpoint> createEndpoint(EndpointOptions options) {
        return attempt(candidates(), 0, "create an endpoint", s -> s.createEndpoint(options), null);
    }

    /**
     * On the least loaded server, without failing over: a conference's name is unique on its server only, so
     * trying another would make a second conference of the same name.
     */
    @Override
    public CompletionStage<Conference> createConference(String name, JoinOptions options) {
        MediaServer server;
        try {
            server = select();
        } catch (MediaException e) {
            return CompletableFuture.failedFuture(e);
        }
        return counted(server, s -> s.createConference(name, options));
    }

    private <T> CompletionStage<T> attempt(List<MediaServer> order, int index, String what,
                                           Function<MediaServer, CompletionStage<T>> operation, Throwable last) {
        if (index == order.size()) {
            String why = last == null ? "no media server is connected (" + addresses() + ")"
                    : "no media server could " + what + "; the last failure: " + Events.failure(what, last, null).getMessage();
            return CompletableFuture.failedFuture(new MediaException(why, last));
        }
        MediaServer server = order.get(index);
        return counted(server, operation).handle((result, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MediaException.HungUp) {
                return CompletableFuture.<T>failedFuture(cause); // the far end's doing: another server would not help
            }
            LOG.info("MRF-POOL-001 {} could not {} ({}); trying the next server", server.address(), what, cause.getMessage());
            return attempt(order, index + 1, what, operation, cause);
        }).thenCompose(Function.identity());
    }

    private <T> CompletionStage<T> counted(MediaServer server, Function<MediaServer, CompletionStage<T>> operation) {
        AtomicInteger count = starting.get(server);
        count.incrementAndGet();
        CompletionStage<T> stage;
        try {
            stage = operation.apply(server);
        } catch (RuntimeException e) {
            count.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        return stage.whenComplete((r, e) -> count.decrementAndGet());
    }
}
