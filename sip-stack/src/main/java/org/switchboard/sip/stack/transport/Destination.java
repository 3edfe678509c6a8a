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
        try {
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
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
