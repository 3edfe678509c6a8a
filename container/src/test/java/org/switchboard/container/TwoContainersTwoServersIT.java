package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.net.FreePorts;
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
        try (Nodes n = new Nodes(dir)) {
            n.connectedAndSpread();
            ContainerProcess a = n.a;
            ContainerProcess b = n.b;
            List<Sipp.Running> loads = n.loads(2000);
            Poll.await(Duration.ofSeconds(20), "ten calls of the loads taken",
                    () -> a.invitesDispatched().size() + b.invitesDispatched().size() >= 20 + 10);

            a.terminate();
            Poll.await(Duration.ofSeconds(10), "a's routes withdrawn on both servers", () -> n.routesOnEach(1));
            LocalTime stopped = DrachtioScaleOutIT.assertDrainedWithoutLoss(sum(loads), 80, a);
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
        try (Nodes n = new Nodes(dir)) {
            n.connectedAndSpread();
            ContainerProcess a = n.a;
            ContainerProcess b = n.b;
            List<Sipp.Running> loads = n.loads(3000);
            Poll.await(Duration.ofSeconds(20), "calls of both loads taken by both containers",
                    () -> SERVERS.stream().allMatch(s -> takenThrough(a, s) >= 5 + 4 && takenThrough(b, s) >= 5 + 4));

            b.kill();
            Poll.await(Duration.ofSeconds(5), "b's routes gone on both servers with its connections", () -> n.routesOnEach(1));
            Sipp.Result r = sum(loads);
            // a call neither logged was sent to b (a logs each call it takes before answering it) and b died before it
            // reached the application: the server answers it 480
            int unlogged = 20 + 80 - a.invitesDispatched().size() - b.invitesDispatched().size();
            DrachtioScaleOutIT.assertOnlyItsCallsLost(r, 80, b, b.invitesDispatched().keySet(), unlogged);

            for (int i = 0; i < SERVERS.size(); i++) {
                DrachtioScaleOutIT.warmUp(n.sipPorts.get(i), tag(SERVERS.get(i) + "-later"));
            }
            assertThat(a.invitesDispatched().keySet().stream().filter(c -> c.contains("-later-"))).as("a took the later calls")
                    .hasSize(20);
        }
    }

    /** The two embedded servers, and the two containers {@code a} and {@code b} connected inbound to both. */
    private static final class Nodes implements AutoCloseable {
        final List<Integer> sipPorts = List.of(FreePorts.udp(), FreePorts.udp());
        final List<DrachtioServer> servers = new ArrayList<>();
        final List<ContainerProcess> containers = new ArrayList<>();
        final ContainerProcess a;
        final ContainerProcess b;

        Nodes(Path dir) throws Exception {
            try {
                for (int sipPort : sipPorts) {
                    servers.add(ContainerModesIT.server(sipPort));
                }
                List<Integer> appPorts = servers.stream().map(s -> s.adminAddress().getPort()).toList();
                for (String name : List.of("a", "b")) {
                    containers.add(ContainerProcess.inbound(name, dir, appPorts, ContainerModesIT.SECRET, "shutdown.drain=20"));
                }
                a = containers.get(0);
                b = containers.get(1);
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        /**
         * Waits for both containers to be connected to both servers, then makes ten calls through each server in turn,
         * which must all succeed, each server handing five to each container (its round-robin over the apps).
         */
        void connectedAndSpread() throws InterruptedException {
            DrachtioScaleOutIT.awaitConnected(servers, a, b);
            for (int i = 0; i < sipPorts.size(); i++) {
                DrachtioScaleOutIT.warmUp(sipPorts.get(i), tag(SERVERS.get(i)));
            }
            for (String server : SERVERS) {
                assertThat(List.of(takenThrough(a, server), takenThrough(b, server))).as("round-robin of " + server)
                        .containsExactly(5L, 5L);
            }
        }

        /** 40 calls through each server at once, 10 a second, each {@code millis} long, tagged with its server. */
        List<Sipp.Running> loads(int millis) {
            List<Sipp.Running> loads = new ArrayList<>();
            for (int i = 0; i < sipPorts.size(); i++) {
                loads.add(KamailioDispatchIT.load("127.0.0.1:" + sipPorts.get(i), 40, 10, millis, tag(SERVERS.get(i))));
            }
            return loads;
        }

        boolean routesOnEach(int count) {
            return servers.stream().allMatch(s -> s.routes("invite") == count);
        }

        @Override
        public void close() throws InterruptedException {
            try {
                for (ContainerProcess c : containers) {
                    c.close();
                }
            } finally {
                servers.forEach(DrachtioServer::close);
            }
        }
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

    /** The loads' results as one (for their counts over all servers), once they have all ended. */
    private static Sipp.Result sum(List<Sipp.Running> loads) {
        return loads.stream().map(Sipp.Running::await).reduce((x, y) -> new Sipp.Result(Math.max(x.exitCode(), y.exitCode()),
                x.successfulCalls() + y.successfulCalls(), x.failedCalls() + y.failedCalls(), x.commandLine() + "\n$ " + y.commandLine(),
                x.screen() + "\n" + y.screen(), x.errors() + "\n" + y.errors())).orElseThrow();
    }
}
