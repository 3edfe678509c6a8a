package org.switchboard.sip.stack.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.sip.uri.SipUri;

/**
 * Where a message goes: a transport and a resolved address.
 *
 * <p>For TLS and WSS, the address's host string (a name when the destination was resolved from one, else the IP
 * literal) is the name the peer's certificate must match, and the name sent as SNI.
 *
 * @param transport the transport
 * @param address the resolved address and port
 */
public record Destination(Transport transport, InetSocketAddress address) {

    public Destination {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    /**
     * The address an IP literal names (IPv4, or IPv6 with or without brackets); empty for a host name,
     * which would need a DNS lookup that must not happen on an I/O thread.
     */
    public static Optional<InetAddress> ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ip = !h.isEmpty() && (h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!ip) {
            return Optional.empty();
        }
        byte[] v4 = dottedQuad(h);
        if (v4 != null) {
            try {
                return Optional.of(InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        try {
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The four bytes of a plain dotted-quad IPv4 address, else null (the other forms go through the JDK's parser).
     * Read here because every response sent asks it of its top Via, and the JDK's general path costs several times more.
     */
    static byte[] dottedQuad(String h) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= h.length(); i++) {
            char c = i < h.length() ? h.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /**
     * Where a SIP URI points when its host (or {@code maddr}) is an IP literal: port and transport from the URI,
     * else the transport's defaults. Empty for a host name.
     */
    public static Optional<Destination> ofLiteral(SipUri uri) {
        Transport transport = Transport.forUri(uri.isSecure(), uri.transport());
        return ipLiteral(uri.parameter("maddr").orElse(uri.host()))
                .map(a -> new Destination(transport, new InetSocketAddress(a, uri.port().orElse(transport.defaultPort()))));
    }

    /**
     * Where a SIP URI points, looking its host up in DNS (A/AAAA only, no RFC 3263 SRV/NAPTR) when it is not an
     * IP literal. Blocks: never call it on an I/O thread.
     */
    public static Destination resolve(SipUri uri) throws UnknownHostException {
        Optional<Destination> literal = ofLiteral(uri);
        if (literal.isPresent()) {
            return literal.get();
        }
        Transport transport = Transport.forUri(uri.isSecure(), uri.transport());
        String host = uri.parameter("maddr").orElse(uri.host());
        return new Destination(transport, new InetSocketAddress(InetAddress.getByName(host), uri.port().orElse(transport.defaultPort())));
    }

    @Override
    public String toString() {
        return transport + " " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
