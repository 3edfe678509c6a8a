package org.switchboard.sip.stack.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a message goes: a transport and a resolved address.
 *
 * @param transport UDP or TCP
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

    @Override
    public String toString() {
        return transport + " " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
