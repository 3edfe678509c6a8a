package org.switchboard.testing.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port the kernel just handed out and took back, for a peer process that binds it itself (sipp,
 * Kamailio, baresip, rtpengine). Another process may take it in between; a collision shows as the peer's failure
 * to start, not as a wrong result. Servers of our own bind port 0 and say which port they got instead.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A UDP port free on 127.0.0.1 now. */
    public static int udp() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on 127.0.0.1 now for both UDP and TCP, for a server that listens on both. */
    public static int udpAndTcp() {
        IOException last = null;
        for (int tries = 0; tries < 50; tries++) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                 ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (IOException takenForTcp) {
                last = takenForTcp;
            }
        }
        throw new UncheckedIOException("no port free for both UDP and TCP in 50 tries", last);
    }

    /** A TCP port free on 127.0.0.1 now. */
    public static int tcp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
