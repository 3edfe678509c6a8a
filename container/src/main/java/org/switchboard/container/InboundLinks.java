package org.switchboard.container;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.switchboard.container.ops.HealthCheck;
import org.switchboard.container.sip.SipCore;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;

/**
 * The container's inbound connections, one per drachtio server it is connected to ({@code drachtio.servers}, or the
 * one of {@code drachtio.host} and {@code drachtio.port}, or the embedded server's): each authenticates, holds the
 * container's routes and reconnects with back-off on its own; the SIP core answers each request through the
 * connection it came from. The node is ready while at least one of them is connected, since each server then
 * still reaches it or sends its calls to other containers.
 *
 * <p>Threads: built once at start; the list does not change after, the checks read the clients' own state.
 */
final class InboundLinks implements AutoCloseable {

    // how long the start waits for each server to accept the secret
    private static final long CONNECT_WAIT_SECONDS = 30;

    private final SipCore core;
    private final List<DrachtioClient> clients;
    private final List<String> servers; // host:port of each client's server, in the same order

    private InboundLinks(SipCore core, List<DrachtioClient> clients, List<String> servers) {
        this.core = core;
        this.clients = List.copyOf(clients);
        this.servers = List.copyOf(servers);
    }

    /**
     * Connects to every server {@code configs} names, all at once, and attaches each connection to {@code core}; fails
     * (closing those that did connect) when one cannot be reached at start: later losses are retried, a first
     * connection is not.
     */
    static InboundLinks connect(SipCore core, List<DrachtioClientConfig> configs) throws Exception {
        List<CompletableFuture<DrachtioClient>> connecting = new ArrayList<>();
        for (DrachtioClientConfig config : configs) {
            connecting.add(DrachtioClient.connect(config, core.listener()));
        }
        List<DrachtioClient> connected = new ArrayList<>();
        try {
            for (CompletableFuture<DrachtioClient> c : connecting) {
                connected.add(c.get(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS));
            }
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            connecting.forEach(c -> c.thenAccept(DrachtioClient::close));
            throw e;
        }
        connected.forEach(c -> core.attach(c, true));
        return new InboundLinks(core, connected, configs.stream().map(c -> c.host() + ":" + c.port()).toList());
    }

    /** The connections, in the order the servers were named. */
    List<DrachtioClient> clients() {
        return clients;
    }

    /** The readiness check: up while at least one server is connected, each link's state in the detail. */
    HealthCheck.Status status() {
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            (clients.get(i).isConnected() ? up : down).add(servers.get(i));
        }
        String detail = (up.isEmpty() ? "" : "connected to " + String.join(", ", up))
                + (up.isEmpty() || down.isEmpty() ? "" : "; ")
                + (down.isEmpty() ? "" : "not connected to " + String.join(", ", down) + " (reconnecting)");
        return up.isEmpty() ? HealthCheck.Status.down(detail) : HealthCheck.Status.up(detail);
    }

    /** What the connected servers listen on for SIP, from their answers to the authentication. */
    HealthCheck.Status sipStatus() {
        List<String> listening = clients.stream().filter(DrachtioClient::isConnected)
                .map(c -> c.serverInfo().map(f -> f.token(4)).orElse("?")).toList();
        return listening.isEmpty() ? HealthCheck.Status.down("unknown: no connection to a drachtio server")
                : HealthCheck.Status.up("drachtio server" + (listening.size() > 1 ? "s" : "") + " listening on "
                        + String.join(" and ", listening));
    }

    /** Closes every connection on purpose: no reconnect, no warning. */
    @Override
    public void close() {
        for (DrachtioClient c : clients) {
            core.detach(c);
            c.close();
        }
    }
}
