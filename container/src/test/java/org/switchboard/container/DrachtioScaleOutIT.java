package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Scale-out on one drachtio server: two containers, each its own JVM, connected inbound to the embedded server, with
 * sipp calling the server. New calls alternate between the containers (the server's round-robin over the apps that
 * route INVITE); a container stopped with SIGTERM withdraws its routes, takes the calls that crossed the withdrawal,
 * finishes its calls and no call fails; a
 * container killed with SIGKILL loses exactly the calls it held, and the server sends it no call after (its
 * connection is gone).
 */
@Timeout(120)
class DrachtioScaleOutIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    @Test
    void callsAlternateAndADrainedContainerWithdrawsItsRoutesAndFinishesItsCalls() throws Exception {
        int sipPort = FreePorts.udp();
        try (DrachtioServer server = ContainerModesIT.server(sipPort);
                ContainerProcess a = inbound("a", server);
                ContainerProcess b = inbound("b", server)) {
            awaitConnected(List.of(server), a, b);
            Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 2000);
            Poll.await(Duration.ofSeconds(20), "ten calls taken", () -> a.invitesDispatched().size() + b.invitesDispatched().size() >= 10);

            a.terminate();
            Poll.await(Duration.ofSeconds(10), "a's routes withdrawn", () -> server.routes("invite") == 1);
            LocalTime stopped = assertDrainedWithoutLoss(load.await(), 80, a);
            Map<String, LocalTime> toA = a.invitesDispatched();
            Map<String, LocalTime> toB = b.invitesDispatched();
            assertThat(toA.size() + toB.size()).isEqualTo(80);
            assertThat(a.callsEnded()).as("every call a took ended there").isEqualTo(toA.keySet());
            assertThat(toB.values().stream().filter(t -> t.isAfter(stopped))).as("b took the new calls").hasSizeGreaterThanOrEqualTo(20);
            List<String> firstTen = IntStream.rangeClosed(1, 10)
                    .mapToObj(i -> toA.keySet().stream().anyMatch(c -> c.startsWith(i + "-")) ? "a" : "b").toList();
            assertThat(firstTen).as("round-robin").isIn(List.of("a", "b", "a", "b", "a", "b", "a", "b", "a", "b"),
                    List.of("b", "a", "b", "a", "b", "a", "b", "a", "b", "a"));
        }
    }

    @Test
    void aKilledContainerLosesOnlyItsCallsAndIsSentNoNewOnes() throws Exception {
        int sipPort = FreePorts.udp();
        try (DrachtioServer server = ContainerModesIT.server(sipPort);
                ContainerProcess a = inbound("a", server);
                ContainerProcess b = inbound("b", server)) {
            awaitConnected(List.of(server), a, b);
            warmUp(sipPort);
            Sipp.Running load = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 80, 10, 3000);
            Poll.await(Duration.ofSeconds(20), "calls of the load taken by both containers",
                    () -> a.invitesDispatched().size() >= 13 && b.invitesDispatched().size() >= 13);

            b.kill();
            Poll.await(Duration.ofSeconds(5), "b's routes gone with its connection", () -> server.routes("invite") == 1);
            Sipp.Result r = load.await();
            // a call neither logged was sent to b (a logs each call it takes before answering it) and b died before it
            // reached the application: the server answers it 480
            int unlogged = 10 + 80 - a.invitesDispatched().size() - b.invitesDispatched().size();
            assertOnlyItsCallsLost(r, 80, b, b.invitesDispatched().keySet(), unlogged);
        }
    }

    /**
     * Ten calls through the server at {@code sipPort} (with sipp's {@code sippArgs}), which must all succeed: a cold container's first calls take
     * seconds on a loaded machine; warmed, the calls it holds at a kill are the ones it took from the load, each
     * logged when it reached the application.
     */
    static void warmUp(int sipPort, String... sippArgs) {
        Sipp.Result warm = KamailioDispatchIT.load("127.0.0.1:" + sipPort, 10, 10, 0, sippArgs).await();
        assertThat(warm.successfulCalls()).as("all ten calls succeed: " + warm.describe()).isEqualTo(10);
    }

    /**
     * The load {@code r} of {@code total} calls lost none, and {@code drained} exited once its calls had ended, none
     * ended by a BYE of its own; returns when it began to stop.
     */
    static LocalTime assertDrainedWithoutLoss(Sipp.Result r, int total, ContainerProcess drained) throws InterruptedException {
        assertThat(r.failedCalls()).as("no call lost: " + r.describe()).isZero();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(total);
        assertThat(drained.awaitExit(Duration.ofSeconds(30))).as(drained + " stops once its calls ended").isTrue();
        assertThat(drained.log()).contains("switchboard stopped").doesNotContain("with BYE");
        return drained.loggedAt("SBC-004 stopping");
    }

    /**
     * The load {@code r} of {@code total} calls lost exactly the calls of {@code itsCalls} that {@code killed} had not
     * ended, and the {@code unlogged} calls it was sent and had not logged yet.
     */
    static void assertOnlyItsCallsLost(Sipp.Result r, int total, ContainerProcess killed, Set<String> itsCalls, int unlogged) {
        Set<String> ended = killed.callsEnded();
        Set<String> lost = itsCalls.stream().filter(c -> !ended.contains(c)).collect(Collectors.toSet());
        assertThat(lost.size() + unlogged).as(killed + " held calls when it was killed").isPositive();
        assertThat(r.successfulCalls() + r.failedCalls()).as(r.describe()).isEqualTo(total);
        assertThat(r.failedCalls()).as("only the calls " + killed + " held are lost: " + lost + " and " + unlogged
                + " it had not logged yet; " + r.describe()).isEqualTo(lost.size() + unlogged);
    }

    private ContainerProcess inbound(String name, DrachtioServer server) throws Exception {
        return ContainerProcess.inbound(name, dir, server.adminAddress().getPort(), ContainerModesIT.SECRET, "shutdown.drain=20");
    }

    /** Waits for {@code containers} to start and to be connected with their INVITE route to each of {@code servers}. */
    static void awaitConnected(List<DrachtioServer> servers, ContainerProcess... containers) throws InterruptedException {
        for (ContainerProcess c : containers) {
            c.awaitStarted(Duration.ofSeconds(60));
        }
        Poll.await(Duration.ofSeconds(15), "the containers' INVITE routes on every server",
                () -> servers.stream().allMatch(s -> s.routes("invite") == containers.length));
    }

}
