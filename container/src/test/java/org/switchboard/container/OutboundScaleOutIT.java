package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.RequestHandler;
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

    @Test
    void callsAlternateAndADrainedContainerIsNoLongerNamedAndFinishesItsCalls() throws Exception {
        int sipPort = TestDeployments.freePort();
        RoutingService.Node nodeA = node("a");
        RoutingService.Node nodeB = node("b");
        try (RoutingService routing = RoutingService.start(nodeA, nodeB);
                DrachtioServer server = ContainerModesIT.server(sipPort, new RequestHandler("INVITE", routing.url(), "POST"));
                ContainerProcess a = start(nodeA);
                ContainerProcess b = start(nodeB)) {
            awaitReady(routing, a, b);
            Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 2000);
            Poll.await(Duration.ofSeconds(30), "ten calls taken", () -> a.invitesDispatched().size() + b.invitesDispatched().size() >= 10);

            a.terminate();
            Sipp.Result r = load.await();

            assertThat(r.failedCalls()).as("no call lost: " + r.describe()).isZero();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(80);
            assertThat(a.awaitExit(Duration.ofSeconds(30))).as("a stops once its calls ended").isTrue();
            assertThat(a.log()).contains("switchboard stopped").doesNotContain("with BYE");
            LocalTime stopped = a.loggedAt("SBC-004 stopping");
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
    }

    @Test
    void aKilledContainerLosesOnlyItsCallsAndIsNamedForNoNewOnes() throws Exception {
        int sipPort = TestDeployments.freePort();
        RoutingService.Node nodeA = node("a");
        RoutingService.Node nodeB = node("b");
        try (RoutingService routing = RoutingService.start(nodeA, nodeB);
                DrachtioServer server = ContainerModesIT.server(sipPort, new RequestHandler("INVITE", routing.url(), "POST"));
                ContainerProcess a = start(nodeA);
                ContainerProcess b = start(nodeB)) {
            awaitReady(routing, a, b);
            // a cold container's first calls take seconds on a loaded machine: warmed, the calls it holds at the kill
            // are the ones it took from the load
            Sipp.Result warm = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 10, 10, 0).await();
            assertThat(warm.successfulCalls()).as("both containers take calls: " + warm.describe()).isEqualTo(10);
            Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 3000);
            Poll.await(Duration.ofSeconds(30), "calls taken by both containers",
                    () -> a.invitesDispatched().size() >= 13 && b.invitesDispatched().size() >= 13);

            b.kill();
            Instant killed = Instant.now();
            Sipp.Result r = load.await();

            Set<String> ended = b.callsEnded();
            Set<String> lostOnB = routing.callsTo("b").stream().filter(c -> !ended.contains(c)).collect(Collectors.toSet());
            assertThat(lostOnB).as("b held calls when it was killed").isNotEmpty();
            assertThat(r.successfulCalls() + r.failedCalls()).as(r.describe()).isEqualTo(80);
            assertThat(r.failedCalls()).as("only the calls b held are lost: " + lostOnB + " " + r.describe())
                    .isEqualTo(lostOnB.size());
            Instant noticed = killed.plus(RoutingService.PROBE_INTERVAL).plus(RoutingService.PROBE_TIMEOUT);
            assertThat(routing.decisions().stream().filter(d -> d.began().isAfter(noticed)))
                    .as("decided after the kill").isNotEmpty().allMatch(d -> "a".equals(d.node()));
        }
    }

    private static RoutingService.Node node(String name) throws java.io.IOException {
        return new RoutingService.Node(name, TestDeployments.freePort(), TestDeployments.freePort());
    }

    private ContainerProcess start(RoutingService.Node node) throws Exception {
        return ContainerProcess.outbound(node.name(), dir, node.listenPort(), node.adminPort(), ContainerModesIT.SECRET,
                "shutdown.drain=20");
    }

    private static void awaitReady(RoutingService routing, ContainerProcess a, ContainerProcess b) throws InterruptedException {
        a.awaitStarted(Duration.ofSeconds(60));
        b.awaitStarted(Duration.ofSeconds(60));
        Poll.await(Duration.ofSeconds(20), "both containers ready for the routing service",
                () -> routing.isReady("a") && routing.isReady("b"));
    }
}
