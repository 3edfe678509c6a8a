package org.switchboard.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A Prometheus scrape endpoint on the JDK's HTTP server ({@code GET /metrics}, the text exposition format), for the
 * standalone commands' {@code --prometheus-scrape-port}. It only reads what {@code scrape} returns; the container
 * serves its metrics on its own admin listener instead.
 */
public final class ScrapeEndpoint implements AutoCloseable {

    /** The content type of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;

    private ScrapeEndpoint(HttpServer http) {
        this.http = http;
    }

    /**
     * Serves {@code scrape} at {@code http://<address>/metrics}; port 0 picks a free one.
     *
     * @throws UncheckedIOException when the address cannot be bound, naming it
     */
    public static ScrapeEndpoint start(InetSocketAddress address, Supplier<String> scrape) {
        try {
            HttpServer http = HttpServer.create(address, 16);
            http.createContext("/metrics", exchange -> {
                boolean get = exchange.getRequestMethod().equals("GET");
                byte[] body = get ? scrape.get().getBytes(StandardCharsets.UTF_8) : new byte[0];
                exchange.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
                exchange.sendResponseHeaders(get ? 200 : 405, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return new ScrapeEndpoint(http);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The bound address, with the port actually bound. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
