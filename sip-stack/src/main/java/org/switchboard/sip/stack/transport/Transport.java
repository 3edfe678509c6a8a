package org.switchboard.sip.stack.transport;

import java.util.Locale;
import java.util.Optional;

/** A SIP transport protocol, named as in a Via header and a {@code transport} URI parameter. */
public enum Transport {
    UDP(false, false, false, 5060),
    TCP(true, false, false, 5060),
    TLS(true, true, false, 5061),
    /** SIP over WebSocket (RFC 7118), one message per frame. */
    WS(true, false, true, 80),
    /** SIP over secure WebSocket (RFC 7118). */
    WSS(true, true, true, 443);

    private final boolean reliable;
    private final boolean secure;
    private final boolean webSocket;
    private final int defaultPort;

    Transport(boolean reliable, boolean secure, boolean webSocket, int defaultPort) {
        this.reliable = reliable;
        this.secure = secure;
        this.webSocket = webSocket;
        this.defaultPort = defaultPort;
    }

    /** Whether the transport delivers reliably (no retransmissions needed). */
    public boolean isReliable() {
        return reliable;
    }

    /** Whether the transport runs over TLS. */
    public boolean isSecure() {
        return secure;
    }

    /** Whether the transport frames messages as WebSocket messages. */
    public boolean isWebSocket() {
        return webSocket;
    }

    /** The port used when a URI or Via names none. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The value of a {@code transport} URI parameter naming this transport (lower case; none for UDP). */
    public String uriParameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport named by a Via or a {@code transport} URI parameter (any case). */
    public static Transport of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported transport '" + name + "' (UDP, TCP, TLS, WS and WSS are)", e);
        }
    }

    /**
     * The transport a URI asks for: its {@code transport} parameter, made secure for a {@code sips:} URI
     * ({@code tcp} and none become TLS, {@code ws} becomes WSS, as RFC 3261 section 26.2 and RFC 7118 say).
     */
    public static Transport forUri(boolean sips, Optional<String> transportParameter) {
        Transport named = transportParameter.map(Transport::of).orElse(sips ? TLS : UDP);
        if (!sips || named.secure) {
            return named;
        }
        return switch (named) {
            case WS -> WSS;
            case UDP, TCP -> TLS;
            default -> named;
        };
    }
}
