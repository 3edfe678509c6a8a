package org.switchboard.container;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an operator puts beside drachtio-servers in outbound mode, for the tests: the server's HTTP routing service
 * (its request handler, asked with POST for each new INVITE), which names the containers round-robin and skips one
 * whose readiness probe ({@code /health/ready} on its admin listener) did not answer 200 the last time it asked; it
 * asks every {@link #PROBE_INTERVAL}, as a load balancer's health check does, so that a decision never waits for one.
 */
final class RoutingService implements AutoCloseable {

    /** A container it may name: where the server connects for a call, and where its readiness probe is. */
    record Node(String name, int listenPort, int adminPort) {
    }

    /** One decision: the call, the node named (null when none was ready), when the decision began. */
    record Decision(String callId, String node, Instant began) {
    }

    /** How often each node's readiness is asked. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(200);
    /** How long a probe may take before the node counts as not ready. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)");

    private final List<Node> nodes;
    private final HttpServer web;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2);
    private final AtomicInteger next = new AtomicInteger();
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private RoutingService(List<Node> nodes) throws IOException {
        this.nodes = List.copyOf(nodes);
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/route", this::route);
        web.setExecutor(executor);
        web.start();
        for (Node n : this.nodes) {
            probes.scheduleWithFixedDelay(() -> ready.put(n.name(), probe(n)), 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Starts the service on a free loopback port. */
    static RoutingService start(Node... nodes) throws IOException {
        return new RoutingService(List.of(nodes));
    }

    /** The URL to give the drachtio server's request handler. */
    String url() {
        return "http://127.0.0.1:" + web.getAddress().getPort() + "/route";
    }

    /** Whether the last probe of the node {@code name} found it ready. */
    boolean isReady(String name) {
        return ready.getOrDefault(name, false);
    }

    /** Every decision so far, in order. */
    List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    /** The Call-IDs of the calls it named {@code node} for. */
    Set<String> callsTo(String node) {
        return decisions.stream().filter(d -> node.equals(d.node())).map(Decision::callId).collect(Collectors.toSet());
    }

    private void route(HttpExchange exchange) throws IOException {
        Instant began = Instant.now();
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher callId = CALL_ID.matcher(request);
        String id = callId.find() ? callId.group(1) : "";
        int first = next.getAndIncrement();
        Node chosen = null;
        for (int i = 0; i < nodes.size() && chosen == null; i++) {
            Node n = nodes.get(Math.floorMod(first + i, nodes.size()));
            if (isReady(n.name())) {
                chosen = n;
            }
        }
        decisions.add(new Decision(id, chosen == null ? null : chosen.name(), began));
        String answer = chosen == null ? "{\"action\":\"reject\",\"data\":{\"status\":503}}"
                : "{\"action\":\"route\",\"data\":{\"uri\":\"127.0.0.1:" + chosen.listenPort() + "\"}}";
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private boolean probe(Node node) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/health/ready"))
                    .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening: gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        web.stop(0);
        executor.shutdownNow();
        probes.shutdownNow();
    }
}
