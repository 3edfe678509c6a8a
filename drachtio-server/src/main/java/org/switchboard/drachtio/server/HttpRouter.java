package org.switchboard.drachtio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.uri.SipUri;

/**
 * HTTP request routing (docs/drachtio.md): for a new request whose method has a request handler, a web service decides
 * what happens (reject, redirect, proxy, or route to an app by address or by tag). The decision is made off the
 * event loops; any HTTP, JSON or field error is a {@link Decision.Failure}, which the server answers 500.
 */
final class HttpRouter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(3);

    /** What the web service decided. */
    sealed interface Decision {
        record Reject(int status, String reason) implements Decision {
        }

        record Redirect(List<String> contacts) implements Decision {
        }

        record Proxy(List<String> destinations, ProxyOperation.Options options) implements Decision {
        }

        record RouteToAddress(String host, int port, boolean tls) implements Decision {
        }

        record RouteToTag(String tag) implements Decision {
        }

        record Failure(String why) implements Decision {
        }
    }

    private final HttpClient http;

    HttpRouter(Executor executor) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build();
    }

    /** Asks {@code handler} what to do with {@code request}; never completes exceptionally. */
    CompletableFuture<Decision> decide(RequestHandler handler, SipRequest request, IncomingMessage incoming) {
        String url = handler.url();
        if (url.startsWith("tcp://") || url.startsWith("tls://")) {
            return CompletableFuture.completedFuture(address(url.substring(6) + (url.startsWith("tls") ? ";transport=tls" : "")));
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(withQuery(url, request, incoming))).timeout(TOTAL_TIMEOUT)
                    .header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Decision.Failure("bad request handler URL " + url));
        }
        if (handler.httpMethod().equals("POST")) {
            b.header("Content-Type", "text/plain; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toBytes()));
        } else {
            b.GET();
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> parse(r.body()))
                .exceptionally(e -> new Decision.Failure("request handler " + url + " failed: " + e.getMessage()));
    }

    private static String withQuery(String url, SipRequest request, IncomingMessage incoming) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("method", request.method());
        SipUri uri = request.requestUri() instanceof SipUri sip ? sip : null;
        q.put("domain", uri == null ? "" : uri.host());
        q.put("protocol", incoming.transport().name().toLowerCase(Locale.ROOT));
        q.put("source_address", incoming.remote().getAddress().getHostAddress());
        q.put("fromUser", userOf(() -> request.from().uri()));
        q.put("toUser", userOf(() -> request.to().uri()));
        q.put("uriUser", uri == null ? "" : uri.user().orElse(""));
        q.put("contentType", request.contentType().orElse(""));
        q.put("uri", request.requestUriText());
        if (uri != null) {
            uri.parameters().asList().forEach(p -> q.put(p.name(), p.value().orElse("")));
        }
        StringBuilder out = new StringBuilder(url).append(url.contains("?") ? '&' : (url.endsWith("/") ? "?" : "/?"));
        q.forEach((k, v) -> out.append(enc(k)).append('=').append(enc(v)).append('&'));
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private interface UriSource {
        org.switchboard.sip.uri.Uri get();
    }

    private static String userOf(UriSource source) {
        try {
            return source.get() instanceof SipUri sip ? sip.user().orElse("") : "";
        } catch (SipParseException e) {
            return "";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Reads {@code {"action": ..., "data": {...}}}. */
    static Decision parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new Decision.Failure("the request handler's answer is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return new Decision.Failure("the request handler's answer is not a JSON object");
        }
        String action = root.path("action").asText("");
        JsonNode data = root.path("data");
        switch (action) {
            case "reject" -> {
                if (!data.path("status").isInt()) {
                    return new Decision.Failure("reject needs a numeric data.status");
                }
                int status = data.get("status").asInt();
                if (status < 300 || status > 699) {
                    return new Decision.Failure("reject status " + status + " is not a final failure status");
                }
                return new Decision.Reject(status, data.path("reason").asText(""));
            }
            case "redirect" -> {
                List<String> contacts = strings(data.path("contact"));
                return contacts.isEmpty() ? new Decision.Failure("redirect needs data.contact")
                        : new Decision.Redirect(contacts);
            }
            case "proxy" -> {
                List<String> destinations = strings(data.path("destination"));
                if (destinations.isEmpty()) {
                    return new Decision.Failure("proxy needs data.destination");
                }
                return new Decision.Proxy(destinations, new ProxyOperation.Options(data.path("recordRoute").asBoolean(false),
                        false, data.path("followRedirects").asBoolean(true), data.path("simultaneous").asBoolean(false),
                        ProxyOperation.millis(data.path("provisionalTimeout").asText("5s"))));
            }
            case "route" -> {
                if (data.hasNonNull("uri")) {
                    return address(data.get("uri").asText());
                }
                if (data.hasNonNull("tag")) {
                    return new Decision.RouteToTag(data.get("tag").asText());
                }
                return new Decision.Failure("route needs data.uri or data.tag");
            }
            default -> {
                return new Decision.Failure("unknown action '" + action + "'");
            }
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** {@code host:port[;transport=tcp|tls]}. */
    private static Decision address(String value) {
        String[] parts = value.split(";", 2);
        boolean tls = parts.length > 1 && parts[1].strip().equalsIgnoreCase("transport=tls");
        int colon = parts[0].lastIndexOf(':');
        if (colon <= 0) {
            return new Decision.Failure("route uri '" + value + "' is not host:port");
        }
        try {
            return new Decision.RouteToAddress(parts[0].substring(0, colon).replaceAll("[\\[\\]]", ""),
                    Integer.parseInt(parts[0].substring(colon + 1)), tls);
        } catch (NumberFormatException e) {
            return new Decision.Failure("route uri '" + value + "' has no numeric port");
        }
    }
}
