package org.switchboard.drachtio.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Prometheus scrape endpoint ({@code GET /metrics}, text exposition format) for {@code --prometheus-scrape-port}.
 * It only reads counters, and binds to the admin address (loopback unless configured otherwise).
 */
final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer http;

    private MetricsEndpoint(HttpServer http) {
        this.http = http;
    }

    static MetricsEndpoint start(InetSocketAddress address, Supplier<String> metrics) {
        try {
            HttpServer http = HttpServer.create(address, 16);
            http.createContext("/metrics", exchange -> {
                byte[] body = exchange.getRequestMethod().equals("GET")
                        ? metrics.get().getBytes(StandardCharsets.UTF_8) : new byte[0];
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 200 : 405, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return new MetricsEndpoint(http);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address, e);
        }
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
