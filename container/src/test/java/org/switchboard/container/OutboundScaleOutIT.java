package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.RequestHandler;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * drachtio-server outbound mode with two containers, each its own JVM listening for the server: the embedded server
 * asks its HTTP routing service (a {@link RoutingService} in the test: round-robin, skipping a node whose last
 * readiness probe was not 200) for each new INVITE and connects to the container it names. A container stopped with SIGTERM
 * turns its readiness down, still takes the calls named for it until the routing service sees that, finishes its
 * calls and no call fails; a container killed with SIGKILL loses exactly the calls named for it that it had not
 * ended, and the routing service names it for no call decided later than one probe interval and timeout after the
 * kill.
 */
@Timeout(120)
class OutboundScaleOutIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    private int sipPort;
    private RoutingService routing;
    private DrachtioServer server;
    private ContainerProcess a;
    private ContainerProcess b;

    @BeforeEach
    void start() throws Exception {
        // each container binds free ports itself and logs them: the routing service learns them from there
        a = ContainerProcess.outbound("a", dir, ContainerModesIT.SECRET, "shutdown.drain=20");
        b = ContainerProcess.outbound("b", dir, ContainerModesIT.SECRET, "shutdown.drain=20");
        routing = RoutingService.start(node("a", a.awaitStarted(Duration.ofSeconds(60))),
                node("b", b.awaitStarted(Duration.ofSeconds(60))));
        sipPort = FreePorts.udp();
        server = ContainerModesIT.server(sipPort, new RequestHandler("INVITE", routing.url(), "POST"));
        Poll.await(Duration.ofSeconds(20), "both containers ready for the routing service",
                () -> routing.isReady("a") && routing.isReady("b"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ContainerProcess c : new ContainerProcess[] {b, a}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
        if (routing != null) {
            routing.close();
        }
    }

    @Test
    void callsAlternateAndADrainedContainerIsNoLongerNamedAndFinishesItsCalls() throws Exception {
        Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 2000);
        Poll.await(Duration.ofSeconds(30), "ten calls taken", () -> a.invitesDispatched().size() + b.invitesDispatched().size() >= 10);

        a.terminate();
        LocalTime stopped = DrachtioScaleOutIT.assertDrainedWithoutLoss(load.await(), 80, a);
        Map<String, LocalTime> toA = a.invitesDispatched();
        Map<String, LocalTime> toB = b.invitesDispatched();
        assertThat(toA.keySet()).as("a took every call named for it").isEqualTo(routing.callsTo("a"));
        assertThat(toB.keySet()).isEqualTo(routing.callsTo("b"));
        assertThat(toA.size() + toB.size()).isEqualTo(80);
        assertThat(a.callsEnded()).as("every call a took ended there").isEqualTo(toA.keySet());
        assertThat(toB.values().stream().filter(t -> t.isAfter(stopped))).as("b took the new calls").hasSizeGreaterThanOrEqualTo(20);
        List<String> firstTen = routing.decisions().subList(0, 10).stream().map(RoutingService.Decision::node).toList();
        assertThat(firstTen).as("round-robin").isIn(List.of("a", "b", "a", "b", "a", "b", "a", "b", "a", "b"),
                List.of("b", "a", "b", "a", "b", "a", "b", "a", "b", "a"));
    }

    @Test
    void aKilledContainerLosesOnlyItsCallsAndIsNamedForNoNewOnes() throws Exception {
        DrachtioScaleOutIT.warmUp(sipPort);
        Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 3000);
        Poll.await(Duration.ofSeconds(30), "calls taken by both containers",
                () -> a.invitesDispatched().size() >= 13 && b.invitesDispatched().size() >= 13);

        b.kill();
        Instant killed = Instant.now();
        // the routing service names every call it sent to b, logged by b or not
        DrachtioScaleOutIT.assertOnlyItsCallsLost(load.await(), 80, b, routing.callsTo("b"), 0);
        Instant noticed = killed.plus(RoutingService.PROBE_INTERVAL).plus(RoutingService.PROBE_TIMEOUT);
        assertThat(routing.decisions().stream().filter(d -> d.began().isAfter(noticed)))
                .as("decided after the kill").isNotEmpty().allMatch(d -> "a".equals(d.node()));
    }

    private static RoutingService.Node node(String name, ContainerProcess started) {
        return new RoutingService.Node(name, started.loggedPort("drachtio-server connects to"),
                started.loggedPort("admin API and console on http://"));
    }
}
