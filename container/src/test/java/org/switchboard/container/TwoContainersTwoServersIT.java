package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Two containers, each its own JVM, each connected inbound to the same two embedded drachtio servers at once
 * ({@code drachtio.servers}), sipp calling both servers. Each server round-robins its new calls between the two
 * containers; a container stopped with SIGTERM while calls run through both servers withdraws its routes on both,
 * finishes its calls and exits, no call fails and the other container takes the new calls of both servers; a
 * container killed with SIGKILL loses exactly the calls it held on either server, both servers drop its routes with
 * its connections, and later calls through either server all succeed.
 *
 * <p>Each server's sipp tags its Call-IDs ({@code -cid_str}) so a container's log tells which server a call came
 * through.
 */
@Timeout(120)
class TwoContainersTwoServersIT {

    private static final List<String> SERVERS = List.of("s1", "s2");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    @Test
    void callsSpreadOverBothAndADrainedContainerLeavesBothServersWithoutLosingACall() throws Exception {
        int sip1 = TestDeployments.freePort();
        int sip2 = TestDeployments.freePort();
        try (DrachtioServer s1 = ContainerModesIT.server(sip1);
                DrachtioServer s2 = ContainerModesIT.server(sip2);
                ContainerProcess a = inbound("a", s1, s2);
                ContainerProcess b = inbound("b", s1, s2)) {
            awaitConnectedAndSpread(List.of(s1, s2), List.of(sip1, sip2), a, b);

            Sipp.Running load1 = load(sip1, "s1", 2000);
            Sipp.Running load2 = load(sip2, "s2", 2000);
            Poll.await(Duration.ofSeconds(20), "ten calls of the loads taken",
                    () -> a.invitesDispatched().size() + b.invitesDispatched().size() >= 20 + 10);

            a.terminate();
            Poll.await(Duration.ofSeconds(10), "a's routes withdrawn on both servers",
                    () -> s1.routes("invite") == 1 && s2.routes("invite") == 1);
            Sipp.Result r1 = load1.await();
            Sipp.Result r2 = load2.await();
            DrachtioScaleOutIT.assertDrainedWithoutLoss(r1, 40, a);
            LocalTime stopped = DrachtioScaleOutIT.assertDrainedWithoutLoss(r2, 40, a);
            Map<String, LocalTime> toA = a.invitesDispatched();
            Map<String, LocalTime> toB = b.invitesDispatched();
            assertThat(toA.size() + toB.size()).isEqualTo(20 + 80);
            assertThat(a.callsEnded()).as("every call a took ended there").isEqualTo(toA.keySet());
            for (String server : SERVERS) {
                assertThat(toB.entrySet().stream().filter(e -> throughServer(e.getKey(), server) && e.getValue().isAfter(stopped)))
                        .as("b took the new calls of " + server).hasSizeGreaterThanOrEqualTo(10);
            }
        }
    }

    @Test
    void aKilledContainerLosesOnlyItsCallsOnBothServersAndLaterCallsSucceed() throws Exception {
        int sip1 = TestDeployments.freePort();
        int sip2 = TestDeployments.freePort();
        try (DrachtioServer s1 = ContainerModesIT.server(sip1);
                DrachtioServer s2 = ContainerModesIT.server(sip2);
                ContainerProcess a = inbound("a", s1, s2);
                ContainerProcess b = inbound("b", s1, s2)) {
            awaitConnectedAndSpread(List.of(s1, s2), List.of(sip1, sip2), a, b);

            Sipp.Running load1 = load(sip1, "s1", 3000);
            Sipp.Running load2 = load(sip2, "s2", 3000);
            Poll.await(Duration.ofSeconds(20), "calls of both loads taken by both containers",
                    () -> SERVERS.stream().allMatch(s -> takenThrough(a, s) >= 5 + 4 && takenThrough(b, s) >= 5 + 4));

            b.kill();
            Poll.await(Duration.ofSeconds(5), "b's routes gone on both servers with its connections",
                    () -> s1.routes("invite") == 1 && s2.routes("invite") == 1);
            Sipp.Result r = sum(load1.await(), load2.await());
            // a call neither logged was sent to b (a logs each call it takes before answering it) and b died before it
            // reached the application: the server answers it 480
            int unlogged = 20 + 80 - a.invitesDispatched().size() - b.invitesDispatched().size();
            DrachtioScaleOutIT.assertOnlyItsCallsLost(r, 80, b, b.invitesDispatched().keySet(), unlogged);

            DrachtioScaleOutIT.warmUp(sip1, tag("s1-later"));
            DrachtioScaleOutIT.warmUp(sip2, tag("s2-later"));
            assertThat(a.invitesDispatched().keySet().stream().filter(c -> c.contains("-later-"))).as("a took the later calls")
                    .hasSize(20);
        }
    }

    /**
     * Waits for both containers to be connected to both servers, then makes ten calls through each server in turn,
     * which must all succeed, each server handing five to each container (its round-robin over the apps).
     */
    private static void awaitConnectedAndSpread(List<DrachtioServer> servers, List<Integer> sipPorts, ContainerProcess a,
            ContainerProcess b) throws InterruptedException {
        DrachtioScaleOutIT.awaitConnected(servers, a, b);
        for (int i = 0; i < sipPorts.size(); i++) {
            DrachtioScaleOutIT.warmUp(sipPorts.get(i), tag(SERVERS.get(i)));
        }
        for (String server : SERVERS) {
            assertThat(List.of(takenThrough(a, server), takenThrough(b, server))).as("round-robin of " + server).containsExactly(5L, 5L);
        }
    }

    /** 40 calls through the server at {@code sipPort}, 10 a second, each {@code millis} long, tagged {@code server}. */
    private static Sipp.Running load(int sipPort, String server, int millis) {
        return KamailioDispatchIT.load("127.0.0.1:" + sipPort, 40, 10, millis, tag(server));
    }

    /** sipp's Call-ID format with {@code tag} in it: {@code <call number>-<tag>-<pid>@<address>}. */
    private static String[] tag(String tag) {
        return new String[] {"-cid_str", "%u-" + tag + "-%p@%s"};
    }

    private static boolean throughServer(String callId, String server) {
        return callId.contains("-" + server + "-");
    }

    private static long takenThrough(ContainerProcess container, String server) {
        return container.invitesDispatched().keySet().stream().filter(c -> throughServer(c, server)).count();
    }

    /** Both loads as one, for the count of lost calls over both servers. */
    private static Sipp.Result sum(Sipp.Result x, Sipp.Result y) {
        return new Sipp.Result(Math.max(x.exitCode(), y.exitCode()), x.successfulCalls() + y.successfulCalls(),
                x.failedCalls() + y.failedCalls(), x.commandLine() + "\n$ " + y.commandLine(), x.screen() + "\n" + y.screen(),
                x.errors() + "\n" + y.errors());
    }

    private ContainerProcess inbound(String name, DrachtioServer... servers) throws Exception {
        return ContainerProcess.inbound(name, dir, List.of(servers).stream().map(s -> s.adminAddress().getPort()).toList(),
                ContainerModesIT.SECRET, "shutdown.drain=20");
    }
}
