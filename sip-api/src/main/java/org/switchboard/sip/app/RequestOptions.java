package org.switchboard.sip.app;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.switchboard.sip.message.SipResponse;

/**
 * A request to send outside a dialog, for {@link Srf#createUac} and {@link Srf#request}: built with
 * {@link #to(String)}. Immutable.
 */
public final class RequestOptions {

    private final String uri;
    private final String method;
    private final Map<String, String> headers;
    private final String contentType;
    private final String body;
    private final Credentials credentials;
    private final String outboundProxy;
    private final Duration timeout;
    private final Duration provisionalTimeout;
    private final Consumer<SipResponse> onProvisional;

    private RequestOptions(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.contentType = b.contentType;
        this.body = b.body;
        this.credentials = b.credentials;
        this.outboundProxy = b.outboundProxy;
        this.timeout = b.timeout;
        this.provisionalTimeout = b.provisionalTimeout;
        this.onProvisional = b.onProvisional;
    }

    /** A builder for a request to {@code uri} (a SIP or TEL URI); the method defaults to INVITE. */
    public static Builder to(String uri) {
        return new Builder(uri);
    }

    /** The Request-URI. */
    public String uri() {
        return uri;
    }

    /** The method, upper case. */
    public String method() {
        return method;
    }

    /** Extra headers in order (From and To included when the application wants its own). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body's content type; empty when there is no body. */
    public String contentType() {
        return contentType;
    }

    /** The body; empty for none. */
    public String body() {
        return body;
    }

    /** Credentials for one answer to a 401/407. */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** A SIP URI to send the request through instead of the server's default route. */
    public Optional<String> outboundProxy() {
        return Optional.ofNullable(outboundProxy);
    }

    /** How long to wait for the final response before giving up (CANCEL for INVITE, then 408). */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How long to wait for any response beyond 100 Trying before giving up on the destination (CANCEL for INVITE,
     * then 408): a dead destination fails fast while a ringing one may ring until {@link #timeout()}.
     */
    public Optional<Duration> provisionalTimeout() {
        return Optional.ofNullable(provisionalTimeout);
    }

    /** Called with each provisional response (not 100). */
    public Consumer<SipResponse> onProvisional() {
        return onProvisional;
    }

    /** A builder with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(uri).method(method).body(contentType, body).timeout(timeout).onProvisional(onProvisional);
        b.provisionalTimeout = provisionalTimeout;
        b.headers.putAll(headers);
        b.credentials = credentials;
        b.outboundProxy = outboundProxy;
        return b;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private String uri;
        private String method = "INVITE";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String contentType = "";
        private String body = "";
        private Credentials credentials;
        private String outboundProxy;
        private Duration timeout = Duration.ofSeconds(32);
        private Duration provisionalTimeout;
        private Consumer<SipResponse> onProvisional = r -> { };

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Another Request-URI. */
        public Builder uri(String newUri) {
            this.uri = Objects.requireNonNull(newUri, "uri");
            return this;
        }

        /** The method (INVITE, SUBSCRIBE, OPTIONS, MESSAGE, REGISTER, ...). */
        public Builder method(String name) {
            this.method = name.toUpperCase(java.util.Locale.ROOT);
            return this;
        }

        /** Adds or replaces a header. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** An SDP offer. */
        public Builder sdp(String sdp) {
            return body("application/sdp", sdp);
        }

        /** A body of {@code type}. */
        public Builder body(String type, String content) {
            this.contentType = Objects.requireNonNull(type, "type");
            this.body = Objects.requireNonNull(content, "content");
            return this;
        }

        /** Credentials for a digest challenge. */
        public Builder credentials(String username, String password) {
            this.credentials = new Credentials(username, password);
            return this;
        }

        /** An outbound proxy for this request. */
        public Builder outboundProxy(String sipUri) {
            this.outboundProxy = sipUri;
            return this;
        }

        /** The deadline for a final response; 32 s unless given. */
        public Builder timeout(Duration deadline) {
            this.timeout = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** Give up on a destination that sent nothing but 100 Trying within {@code deadline}. */
        public Builder provisionalTimeout(Duration deadline) {
            this.provisionalTimeout = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** A callback for provisional responses, run in call order off the I/O threads. */
        public Builder onProvisional(Consumer<SipResponse> callback) {
            this.onProvisional = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /** The options. */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
