package org.switchboard.drachtio.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.net.FreePorts;

/** Embedded servers on free loopback ports for the tests. */
final class TestServers {

    private TestServers() {
    }

    /** A server with UDP and TCP on one free port, the admin port free, T1 as given, apps answering within {@code park}. */
    static DrachtioServer start(Duration t1, Duration park, boolean cdrs) {
        return start(t1, park, cdrs, DrachtioServerConfig.DEFAULT_MIN_SESSION_EXPIRES);
    }

    /** As above, with RFC 4028's Min-SE shortened to {@code minSe}. */
    static DrachtioServer start(Duration t1, Duration park, boolean cdrs, Duration minSe) {
        return start(t1, park, cdrs, minSe, false);
    }

    /**
     * As above; with {@code symmetric} every response goes back where its request came from, for callers whose Via
     * names hosts the test cannot listen on.
     */
    static DrachtioServer start(Duration t1, Duration park, boolean cdrs, Duration minSe, boolean symmetric) {
        return start(t1, park, cdrs, minSe, symmetric, b -> { });
    }

    /** The default server, with whatever else {@code more} sets. */
    static DrachtioServer start(Consumer<DrachtioServerConfig.Builder> more) {
        return start(TimerConfig.DEFAULT_T1, DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false,
                DrachtioServerConfig.DEFAULT_MIN_SESSION_EXPIRES, false, more);
    }

    /** As above, with whatever else {@code more} sets (it may replace the SIP listen points). */
    static DrachtioServer start(Duration t1, Duration park, boolean cdrs, Duration minSe, boolean symmetric,
                                Consumer<DrachtioServerConfig.Builder> more) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePorts.udpAndTcp();
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.close();
                DrachtioServerConfig.Builder config = DrachtioServerConfig.builder()
                        .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                        .sip(new SipStackConfig(TransportConfig.builder()
                                .listen(Transport.UDP, "127.0.0.1", port)
                                .listen(Transport.TCP, "127.0.0.1", port).symmetricResponses(symmetric).build(),
                                t1.equals(TimerConfig.DEFAULT_T1) ? TimerConfig.DEFAULTS : TimerConfig.scaled(t1)))
                        .parkTimeout(park)
                        .cdrs(cdrs)
                        .minSessionExpires(minSe);
                more.accept(config);
                return DrachtioServer.start(config.build());
            } catch (IOException e) {
                last = e; // the TCP side of that port is taken: try another
            }
        }
        throw new UncheckedIOException("no free port pair", last);
    }

    static DrachtioServer start() {
        return start(TimerConfig.DEFAULT_T1, DrachtioServerConfig.DEFAULT_PARK_TIMEOUT, false);
    }

    /** {@code 127.0.0.1:<sip port>} for sipp. */
    static String sipTarget(DrachtioServer server) {
        return "127.0.0.1:" + server.sipListenPoints().get(0).address().getPort();
    }
}
