package org.switchboard.drachtio.server;

import java.util.Locale;
import java.util.Objects;

/**
 * A request handler (drachtio's {@code <request-handler>}): new requests of {@code sipMethod} ({@code *} for all)
 * are routed by asking the web service at {@code url}, or go straight to the app at a {@code tcp://host:port} or
 * {@code tls://host:port} url.
 *
 * @param sipMethod an upper-case SIP method or {@code *}
 * @param url an http(s) URL, or tcp:// / tls:// with host:port
 * @param httpMethod GET or POST (POST sends the SIP request as the body)
 */
public record RequestHandler(String sipMethod, String url, String httpMethod) {

    public RequestHandler {
        sipMethod = Objects.requireNonNull(sipMethod, "sipMethod").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(url, "url");
        httpMethod = Objects.requireNonNull(httpMethod, "httpMethod").toUpperCase(Locale.ROOT);
        if (!httpMethod.equals("GET") && !httpMethod.equals("POST")) {
            throw new IllegalArgumentException("the HTTP method of a request handler is GET or POST, was " + httpMethod);
        }
        if (!url.matches("(?i)(https?|tcp|tls)://.+")) {
            throw new IllegalArgumentException("a request handler URL is http(s)://, tcp:// or tls://, was " + url);
        }
    }

    /** Whether this handler decides for requests of {@code method}. */
    public boolean handles(String method) {
        return sipMethod.equals("*") || sipMethod.equalsIgnoreCase(method);
    }
}
