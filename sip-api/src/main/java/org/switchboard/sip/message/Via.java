package org.switchboard.sip.message;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.Parameters;

/**
 * One Via value (RFC 3261 section 20.42): protocol, transport, sent-by host and port, and parameters
 * such as {@code branch}, {@code received} and {@code rport} (RFC 3581).
 */
public final class Via {

    /** The branch prefix of RFC 3261 transactions (section 8.1.1.7). */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    private final String protocol;
    private final String transport;
    private final String host;
    private final int port;
    private final Parameters parameters;

    private Via(String protocol, String transport, String host, int port, Parameters parameters) {
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
    }

    /**
     * A {@code SIP/2.0} Via.
     *
     * @param transport UDP, TCP, TLS, SCTP, WS, ...
     * @param host the sent-by host (an IPv6 address gets brackets)
     * @param port the sent-by port, or -1 for none
     * @param parameters branch and the others
     */
    public static Via of(String transport, String host, int port, Parameters parameters) {
        Objects.requireNonNull(host, "host");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("Via port must be -1 or 0..65535, was " + port);
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return new Via("SIP/2.0", transport.toUpperCase(Locale.ROOT), h, port, Objects.requireNonNull(parameters));
    }

    /**
     * Parses one Via value such as {@code SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds}.
     *
     * @throws SipParseException when it is not one
     */
    public static Via parse(String value) {
        String where = "Via header";
        int pos = Grammar.skipWhite(value, 0);
        String[] parts = new String[3];
        for (int i = 0; i < 3; i++) {
            int start = pos;
            while (pos < value.length() && Grammar.isTokenChar(value.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new SipParseException(where, pos, "expected protocol name/version/transport");
            }
            parts[i] = value.substring(start, pos);
            pos = Grammar.skipWhite(value, pos);
            if (i < 2) {
                if (pos >= value.length() || value.charAt(pos) != '/') {
                    throw new SipParseException(where, pos, "expected '/' in the sent-protocol");
                }
                pos = Grammar.skipWhite(value, pos + 1);
            }
        }
        int hostStart = pos;
        int hostEnd;
        if (pos < value.length() && value.charAt(pos) == '[') {
            int close = value.indexOf(']', pos);
            if (close < 0) {
                throw new SipParseException(where, pos, "IPv6 reference without ']'");
            }
            hostEnd = close + 1;
        } else {
            hostEnd = pos;
            while (hostEnd < value.length() && (Character.isLetterOrDigit(value.charAt(hostEnd))
                    || value.charAt(hostEnd) == '-' || value.charAt(hostEnd) == '.')) {
                hostEnd++;
            }
        }
        if (hostEnd == hostStart) {
            throw new SipParseException(where, pos, "missing sent-by host");
        }
        String host = value.substring(hostStart, hostEnd);
        pos = Grammar.skipWhite(value, hostEnd);
        int port = -1;
        if (pos < value.length() && value.charAt(pos) == ':') {
            pos = Grammar.skipWhite(value, pos + 1);
            int digits = pos;
            while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
                digits++;
            }
            port = (int) Grammar.number(value.substring(pos, digits), 65535, where);
            pos = digits;
        }
        Parameters params = Grammar.parameters(value, pos, where);
        return new Via(parts[0] + "/" + parts[1], parts[2].toUpperCase(Locale.ROOT), host, port, params);
    }

    /** The protocol name and version, normally {@code SIP/2.0}. */
    public String protocol() {
        return protocol;
    }

    /** The transport in upper case (UDP, TCP, TLS, SCTP, WS, WSS, or another token). */
    public String transport() {
        return transport;
    }

    /** The sent-by host as written; an IPv6 reference keeps its brackets. */
    public String host() {
        return host;
    }

    /** The sent-by port, when present. */
    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** All parameters. */
    public Parameters parameters() {
        return parameters;
    }

    /** The branch parameter. */
    public Optional<String> branch() {
        return parameters.get("branch");
    }

    /** Whether the branch carries the RFC 3261 magic cookie and more. */
    public boolean hasRfc3261Branch() {
        return branch().map(b -> b.length() > MAGIC_COOKIE.length() && b.startsWith(MAGIC_COOKIE)).orElse(false);
    }

    /** The received parameter. */
    public Optional<String> received() {
        return parameters.get("received");
    }

    /** Whether an rport parameter is present (with or without a value). */
    public boolean hasRport() {
        return parameters.contains("rport");
    }

    /** The rport value, when it has one. */
    public OptionalInt rport() {
        return parameters.get("rport").map(v -> OptionalInt.of(Integer.parseInt(v))).orElse(OptionalInt.empty());
    }

    /** This Via with a parameter set ({@code null} value for a flag). */
    public Via withParameter(String name, String value) {
        return new Via(protocol, transport, host, port, parameters.with(name, value));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(64).append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            out.append(':').append(port);
        }
        parameters.appendTo(out);
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Via v && protocol.equalsIgnoreCase(v.protocol) && transport.equals(v.transport)
                && host.equalsIgnoreCase(v.host) && port == v.port && parameters.equals(v.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, host.toLowerCase(Locale.ROOT), port);
    }
}
