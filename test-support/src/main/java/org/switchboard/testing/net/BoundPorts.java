package org.switchboard.testing.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a local port is bound, as the kernel lists it in /proc/net: a test starts talking to a peer process it
 * launched once the peer can read, rather than after a guessed pause, and without connecting to it (a probe
 * connection would show up in the peer's logs and counts).
 */
public final class BoundPorts {

    private static final String TCP_LISTEN = "0A";

    private BoundPorts() {
    }

    /** Whether some socket is bound to UDP {@code port}. */
    public static boolean udp(int port) {
        return listed(List.of("/proc/net/udp", "/proc/net/udp6"), port, null);
    }

    /** Whether some socket listens on TCP {@code port}. */
    public static boolean tcpListening(int port) {
        return listed(List.of("/proc/net/tcp", "/proc/net/tcp6"), port, TCP_LISTEN);
    }

    private static boolean listed(List<String> tables, int port, String state) {
        String hex = String.format(":%04X ", port);
        for (String table : tables) {
            try {
                // each row: "sl local_address rem_address st ...", the local address as HEXIP:HEXPORT
                for (String row : Files.readAllLines(Path.of(table))) {
                    String[] columns = row.trim().split("\\s+");
                    if (columns.length > 3 && (columns[1] + " ").endsWith(hex) && (state == null || columns[3].equals(state))) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no such table (IPv6 off): the other one decides
            }
        }
        return false;
    }
}
