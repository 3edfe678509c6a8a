package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.poll.Poll;

/**
 * The race that killed drachtio-fsmrf's suite, over and over with real drachtio-srf apps (src/test/node/departures.js):
 * a call from an app on one server to an app on another, then the second app hangs up while the first leaves, its
 * departure moved from 10 ms before that BYE to 10 ms after it. The first server's clean-up BYE crosses the second
 * app's own BYE; whichever wins, the app's BYE is answered, never refused with "unable to find dialog".
 */
class DepartureRaceIT {

    private static final int ITERATIONS = 210;

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void anAppsByeCrossingTheCleanUpOfADepartedAppIsNeverRefused() throws Exception {
        try (DrachtioServer uacSide = TestServers.start(); DrachtioServer sutSide = TestServers.start();
             NodeProcess apps = NodeProcess.start(NodeApp.NODE_DIR, "drachtio-srf", Map.of(), line -> line.startsWith("failed"),
                     "departures.js", "uac=" + hostPort(uacSide.adminAddress()), "sut=" + hostPort(sutSide.adminAddress()),
                     "target=sip:sut@" + TestServers.sipTarget(sutSide), "iterations=" + ITERATIONS, "spread=10")) {
            apps.await(line -> line.equals("done"), Duration.ofSeconds(100));

            assertThat(apps.count("bye refused")).as(apps.output()).isZero();
            assertThat(apps.count("bye answered")).as(apps.output()).isEqualTo(ITERATIONS);
            Poll.await(Duration.ofSeconds(10), "neither server keeps a dialog of the calls",
                    () -> uacSide.registries().empty() && sutSide.registries().empty());
        }
    }
}
