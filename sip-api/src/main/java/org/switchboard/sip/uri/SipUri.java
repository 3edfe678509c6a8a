package org.switchboard.sip.uri;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 section 19.1): user, password, host (a name, an IPv4
 * address or a bracketed IPv6 reference), port, parameters and headers.
 *
 * <p>User, password, parameters and headers are kept as written, {@code %HH} escapes included;
 * {@link #decodedUser()} undoes the escapes. Equality follows the comparison rules of RFC 3261
 * section 19.1.4. Build new URIs with {@link #builder()} or change one with {@link #toBuilder()}.
 */
public final class SipUri implements Uri {

    private final boolean secure;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final Parameters parameters;
    private final Parameters headers;
    private final String text;

    SipUri(boolean secure, String user, String password, String host, int port,
           Parameters parameters, Parameters headers, String text) {
        this.secure = secure;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
        this.headers = headers;
        this.text = text;
    }

    /**
     * Parses a {@code sip:} or {@code sips:} URI.
     *
     * @throws org.switchboard.sip.SipParseException when the text is not one
     */
    public static SipUri parse(String text) {
        if (UriParser.parse(text, "SIP URI") instanceof SipUri uri) {
            return uri;
        }
        throw new org.switchboard.sip.SipParseException("SIP URI", 0, "scheme is not sip or sips");
    }

    /** A builder for a new {@code sip:} URI. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this URI. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.secure = secure;
        b.user = user;
        b.password = password;
        b.host = host;
        b.port = port;
        b.parameters = parameters;
        b.headers = headers;
        return b;
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** Whether this is a {@code sips:} URI. */
    public boolean isSecure() {
        return secure;
    }

    /** The user part as written, escapes included. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The user part with {@code %HH} escapes decoded (as UTF-8). */
    public Optional<String> decodedUser() {
        return user().map(Escaping::decode);
    }

    /** The password as written. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The host as written; an IPv6 reference keeps its brackets. */
    public String host() {
        return host;
    }

    /** The port, when the URI names one. */
    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The URI parameters ({@code ;transport=tcp;lr}). */
    public Parameters parameters() {
        return parameters;
    }

    /** A URI parameter's value; empty for a flag or when absent. */
    public Optional<String> parameter(String name) {
        return parameters.get(name);
    }

    /** The headers ({@code ?Subject=x&Priority=urgent}), names and values as written. */
    public Parameters headers() {
        return headers;
    }

    /** The {@code transport} parameter in lower case, when present. */
    public Optional<String> transport() {
        return parameters.get("transport").map(t -> t.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return text;
    }

    /** Equality per RFC 3261 section 19.1.4. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SipUri other)) {
            return false;
        }
        if (secure != other.secure || port != other.port
                || !host.equalsIgnoreCase(other.host)
                || !Objects.equals(user == null ? null : Escaping.decode(user),
                                   other.user == null ? null : Escaping.decode(other.user))
                || !Objects.equals(password, other.password)) {
            return false;
        }
        for (String name : new String[] {"user", "ttl", "method", "maddr", "transport"}) {
            if (parameters.contains(name) != other.parameters.contains(name)) {
                return false;
            }
        }
        for (Parameters.Parameter p : parameters.asList()) {
            if (other.parameters.contains(p.name())
                    && !decodedLower(p.value()).equals(decodedLower(other.parameters.get(p.name())))) {
                return false;
            }
        }
        if (headers.size() != other.headers.size()) {
            return false;
        }
        for (Parameters.Parameter h : headers.asList()) {
            if (!h.value().map(Escaping::decode).equals(other.headers.get(h.name()).map(Escaping::decode))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(secure, host.toLowerCase(Locale.ROOT), port,
                user == null ? null : Escaping.decode(user));
    }

    private static Optional<String> decodedLower(Optional<String> value) {
        return value.map(v -> Escaping.decode(v).toLowerCase(Locale.ROOT));
    }

    /** Builds a {@link SipUri}; what is set is checked against the grammar by {@link #build()}. */
    public static final class Builder {
        private boolean secure;
        private String user;
        private String password;
        private String host;
        private int port = -1;
        private Parameters parameters = Parameters.of();
        private Parameters headers = Parameters.of();

        private Builder() {
        }

        /** {@code sips:} instead of {@code sip:}. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** The user part as it is to be written (use {@link Escaping#escapeUser} for raw text); null for none. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password as it is to be written; null for none. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The host: a name, an IPv4 address, or an IPv6 address with or without brackets. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            this.host = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return this;
        }

        /** The port, or -1 for none. */
        public Builder port(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port must be -1 or 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Sets a URI parameter; a null value makes a flag. */
        public Builder parameter(String name, String value) {
            parameters = parameters.with(name, value);
            return this;
        }

        /** Removes a URI parameter. */
        public Builder removeParameter(String name) {
            parameters = parameters.without(name);
            return this;
        }

        /** Replaces all URI parameters. */
        public Builder parameters(Parameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Sets a header; the value as it is to be written. */
        public Builder header(String name, String value) {
            headers = headers.with(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Replaces all headers. */
        public Builder headers(Parameters headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * The URI.
         *
         * @throws org.switchboard.sip.SipParseException when a part breaks the grammar
         * @throws IllegalStateException when no host was set
         */
        public SipUri build() {
            if (host == null) {
                throw new IllegalStateException("a SIP URI needs a host");
            }
            StringBuilder out = new StringBuilder(64).append(secure ? "sips:" : "sip:");
            if (user != null) {
                out.append(user);
                if (password != null) {
                    out.append(':').append(password);
                }
                out.append('@');
            }
            out.append(host);
            if (port >= 0) {
                out.append(':').append(port);
            }
            parameters.appendTo(out);
            char sep = '?';
            for (Parameters.Parameter h : headers.asList()) {
                out.append(sep).append(h.name()).append('=').append(h.value().orElse(""));
                sep = '&';
            }
            return parse(out.toString());
        }
    }
}
