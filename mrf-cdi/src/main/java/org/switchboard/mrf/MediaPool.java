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
 * figure or the endpoints this pool has up there, whichever is more, plus those it is making there, since figures
 * come seconds apart), and to the next one when
 * that server fails it. A server whose event socket is down is skipped until it is back; one that is not ready (it
 * said so, or refused a call with 503: draining or paused) comes after those that are.
 */
final class MediaPool implements MediaServers {

    private static final Logger LOG = LoggerFactory.getLogger(MediaPool.class);

    private final List<MediaServer> servers;
    private final MediaSignaling signaling;
    private final Map<MediaServer, AtomicInteger> starting = new IdentityHashMap<>();
    // the endpoints this pool made on each server that are up: FreeSWITCH reports its load every 20 s by default
    private final Map<MediaServer, AtomicInteger> up = new IdentityHashMap<>();

    MediaPool(List<MediaServer> servers, MediaSignaling signaling) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one media server");
        }
        this.servers = List.copyOf(servers);
        this.signaling = signaling;
        this.servers.forEach(s -> {
            starting.put(s, new AtomicInteger());
            up.put(s, new AtomicInteger());
        });
    }

    @Override
    public List<MediaServer> servers() {
        return servers;
    }

    /**
     * The connected servers, those ready for new calls first (one draining or paused is tried only when no other
     * takes the call), least loaded first among those; configuration order among equals.
     */
    List<MediaServer> candidates() {
        List<MediaServer> connected = new ArrayList<>();
        for (MediaServer s : servers) {
            if (s.isConnected()) {
                connected.add(s);
            }
        }
        connected.sort(Comparator.comparing((MediaServer s) -> !s.isReady()).thenComparingInt(this::sessions));
        return connected;
    }

    /**
     * A server's sessions as far as the pool knows: its last report, or the endpoints the pool has up there if
     * more (the report may be older than they are), plus those it is making there.
     */
    private int sessions(MediaServer server) {
        return Math.max(server.load().currentSessions(), up.get(server).get()) + starting.get(server).get();
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
        return attempt(candidates(), 0, "create an endpoint", s -> s.createEndpoint(options).thenApply(e -> {
            AtomicInteger count = up.get(s);
            count.incrementAndGet();
            e.destroyed().whenComplete((cause, x) -> count.decrementAndGet());
            return e;
        }), null);
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
            Throwable cause = Events.unwrap(e);
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
