package org.switchboard.sip.stack.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An address the stack listens on for one transport.
 *
 * @param transport UDP or TCP
 * @param address the address and port; port 0 picks a free one
 */
public record ListenPoint(Transport transport, InetSocketAddress address) {

    public ListenPoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    /** A listen point on host and port. */
    public static ListenPoint of(Transport transport, String host, int port) {
        return new ListenPoint(transport, new InetSocketAddress(host, port));
    }

    /** The host part for a Via sent-by or a Contact: IPv6 addresses in brackets. */
    public String hostForUri() {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return transport + " " + hostForUri() + ":" + address.getPort();
    }
}
