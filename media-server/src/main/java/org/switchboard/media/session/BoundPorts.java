package org.switchboard.media.session;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

/**
 * An RTP port of the range and the RTCP port above it, both bound (non-blocking sockets, not yet given to Netty).
 * Made on the thread that opens a session; immutable.
 *
 * @param port the RTP port, taken from the range
 * @param rtp its socket
 * @param rtcp the socket of {@code port + 1}
 */
record BoundPorts(int port, DatagramChannel rtp, DatagramChannel rtcp) {

    /** Binds the next pair the range has free at {@code address}; empty when none can be bound. */
    static Optional<BoundPorts> take(InetAddress address, PortRange ports) {
        for (int attempts = ports.available(); attempts > 0; attempts--) {
            int port = ports.take();
            if (port < 0) {
                break;
            }
            DatagramChannel socket;
            try {
                socket = bind(address, port);
            } catch (IOException e) {
                ports.release(port); // taken by someone else: try the next one
                continue;
            }
            try {
                return Optional.of(new BoundPorts(port, socket, bind(address, port + 1)));
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing what was just opened
                }
                ports.release(port);
            }
        }
        return Optional.empty();
    }

    private static DatagramChannel bind(InetAddress address, int port) throws IOException {
        DatagramChannel socket = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            socket.configureBlocking(false);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }
}
