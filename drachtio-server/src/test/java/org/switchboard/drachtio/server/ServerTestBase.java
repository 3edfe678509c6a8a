package org.switchboard.drachtio.server;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.sipp.Sipp;

/** A fresh embedded server per test, and sipp calls into it. */
abstract class ServerTestBase {

    DrachtioServer server;

    @BeforeEach
    void startServer() {
        server = TestServers.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Runs sipp against the server's SIP port from a free local port, within 40 s. */
    Sipp.Result sipp(Sipp sipp, String... args) {
        return sipp.target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()))
                .args(args).deadline(Duration.ofSeconds(40)).run();
    }
}
