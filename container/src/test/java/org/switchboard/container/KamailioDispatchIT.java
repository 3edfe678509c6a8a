package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.container.KamailioDispatcher.Event;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Scale-out behind a SIP load balancer: Debian's Kamailio dispatching round-robin (record-routing, OPTIONS probes
 * every second) to two containers on the embedded default, each its own JVM, with sipp calls through Kamailio. Calls
 * alternate between the containers; a container stopped with SIGTERM takes no new call, finishes the ones it has,
 * and no call fails; a container killed with SIGKILL loses exactly the calls it held, and Kamailio stops sending it
 * new calls within the probe interval and the probe's timeout. The configuration is the one operators are given,
 * {@code config/kamailio/dispatcher.cfg} (docs/scale-out.md).
 */
@Timeout(120)
class KamailioDispatchIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    @BeforeAll
    static void kamailioInstalled() {
        assumeTrue(KamailioDispatcher.installed(), "skipped: no Kamailio at " + KamailioDispatcher.BINARY
                + " (scripts/install-test-peers installs Debian's package kamailio)");
    }

    @Test
    void callsAlternateAndADrainedContainerFinishesItsCallsWhileTheOtherTakesTheNewOnes() throws Exception {
        try (Topology t = Topology.start(dir)) {
            Sipp.Running load = t.callsTakenByBoth(80, 2000);

            t.nodeA.terminate();
            Sipp.Result r = load.await();

            KamailioDispatcher kamailio = t.kamailio;
            assertThat(r.failedCalls()).as("no call lost: " + r.describe()).isZero();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(80);
            assertThat(t.nodeA.awaitExit(Duration.ofSeconds(30))).as("a stops once its calls ended").isTrue();
            assertThat(t.nodeA.log()).contains("switchboard stopped").doesNotContain("with BYE");
            Instant stopped = t.nodeA.loggedAt("SBC-004 stopping").atDate(LocalDate.now()).atZone(ZoneId.systemDefault()).toInstant();
            assertThat(kamailio.callsTakenBy(t.a)).as("a took no call that reached it after it began to drain")
                    .allSatisfy(e -> assertThat(dispatchOf(kamailio, e.callId(), t.a)).isBefore(stopped.plusMillis(1)));
            assertThat(kamailio.callsTakenBy(t.b).stream().filter(e -> e.time().isAfter(stopped)))
                    .as("b took the new calls").hasSizeGreaterThanOrEqualTo(20);
            assertThat(t.nodeA.callsEnded()).as("every call a took ended there")
                    .containsAll(kamailio.callsTakenBy(t.a).stream().map(Event::callId).collect(Collectors.toSet()));
            List<Event> before = kamailio.events().stream()
                    .filter(e -> e.kind().equals("dispatch") && e.method().equals("INVITE") && e.time().isBefore(stopped)).toList();
            long toA = before.stream().filter(e -> e.node().equals(t.a)).count();
            assertThat(toA - (before.size() - toA)).as("round-robin before the drain: " + before).isBetween(-1L, 1L);
        }
    }

    @Test
    void aKilledContainerLosesOnlyItsCallsAndIsNoLongerSentNewOnes() throws Exception {
        try (Topology t = Topology.start(dir)) {
            Sipp.Running load = t.callsTakenByBoth(80, 3000);

            Instant killed = Instant.now();
            t.nodeB.kill();
            Sipp.Result r = load.await();

            KamailioDispatcher kamailio = t.kamailio;
            Set<String> ended = kamailio.callsEnded();
            Set<String> lostOnB = kamailio.callsLastSentTo(t.b).stream().filter(c -> !ended.contains(c)).collect(Collectors.toSet());
            assertThat(lostOnB).as("b held calls when it was killed").isNotEmpty();
            assertThat(r.successfulCalls() + r.failedCalls()).as(r.describe()).isEqualTo(80);
            assertThat(r.failedCalls()).as("only the calls b held are lost: " + lostOnB + " " + r.describe())
                    .isEqualTo(lostOnB.size());
            Instant detected = killed.plus(KamailioDispatcher.PROBE_INTERVAL).plus(KamailioDispatcher.NO_ANSWER);
            assertThat(kamailio.invitesSentTo(t.b)).as("no new call to b later than a probe interval and its timeout")
                    .allSatisfy(e -> assertThat(e.time()).isBefore(detected));
            assertThat(kamailio.callsTakenBy(t.a).stream().filter(e -> e.time().isAfter(detected)))
                    .as("a took the new calls").isNotEmpty();
            assertThat(t.nodeA.isAlive()).isTrue();
        }
    }

    /** Containers a and b (SIP URIs {@code a} and {@code b}), each warmed, and Kamailio in front of them. */
    private record Topology(ContainerProcess nodeA, ContainerProcess nodeB, KamailioDispatcher kamailio, String a, String b)
            implements AutoCloseable {

        static Topology start(Path dir) throws Exception {
            int aPort = FreePorts.udp();
            int bPort = FreePorts.udp();
            ContainerProcess nodeA = ContainerProcess.embedded("a", dir, aPort, "shutdown.drain=20");
            ContainerProcess nodeB = ContainerProcess.embedded("b", dir, bPort, "shutdown.drain=20");
            try {
                warm(nodeA, aPort);
                warm(nodeB, bPort);
                String a = "sip:127.0.0.1:" + aPort;
                String b = "sip:127.0.0.1:" + bPort;
                KamailioDispatcher kamailio = KamailioDispatcher.start(dir, FreePorts.udp(), List.of(a, b));
                try {
                    return new Topology(nodeA, nodeB, kamailio.awaitRouting(Duration.ofSeconds(20)), a, b);
                } catch (Exception | AssertionError e) {
                    kamailio.close();
                    throw e;
                }
            } catch (Exception | AssertionError e) {
                nodeA.close();
                nodeB.close();
                throw e;
            }
        }

        /** Starts {@code count} calls at 10/s through Kamailio, each {@code millis} long, once both containers took 3. */
        Sipp.Running callsTakenByBoth(int count, int millis) throws InterruptedException {
            Sipp.Running load = load(kamailio.address(), count, 10, millis);
            Poll.await(Duration.ofSeconds(20), "calls taken by both containers",
                    () -> kamailio.callsTakenBy(a).size() >= 3 && kamailio.callsTakenBy(b).size() >= 3);
            return load;
        }

        @Override
        public void close() throws InterruptedException {
            kamailio.close();
            nodeA.close();
            nodeB.close();
        }
    }

    /**
     * Waits for the container's start and gives it a few calls of its own first: a cold container's first calls take
     * seconds on a loaded machine, which Kamailio would take for a dead container.
     */
    static void warm(ContainerProcess container, int sipPort) throws InterruptedException {
        container.awaitStarted(Duration.ofSeconds(60));
        Sipp.Result r = load("127.0.0.1:" + sipPort, 5, 10, 0).await();
        assertThat(r.successfulCalls()).as(container + " takes calls: " + r.describe()).isEqualTo(5);
    }

    /**
     * {@code count} calls at {@code rate} per second to {@code target}, each {@code millis} long; an unexpected answer
     * (a 480, a 408, a BYE from the far end) fails a call at once.
     */
    static Sipp.Running load(String target, int count, int rate, int millis, String... moreArgs) {
        return Sipp.scenario(Interop.path("switchboard-sipp/uac-via-proxy.xml")).target(target)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", Integer.toString(count), "-r", Integer.toString(rate),
                        "-d", Integer.toString(millis), "-default_behaviors", "abortunexp")
                .args(moreArgs)
                .deadline(Duration.ofSeconds(60)).start();
    }

    private static Instant dispatchOf(KamailioDispatcher kamailio, String callId, String node) {
        return kamailio.events().stream().filter(e -> e.kind().equals("dispatch") && e.callId().equals(callId) && e.node().equals(node))
                .map(Event::time).reduce((first, last) -> last).orElseThrow();
    }
}
