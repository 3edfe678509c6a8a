package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.executors.LoadShedder;
import org.switchboard.executors.ShedCounters;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Overload with sipp against an application whose capacity is fixed (one call at a time, 50 ms each: 20 calls/s on
 * any machine), so the overload is certain on a fast machine and on a loaded one alike: new INVITEs beyond what
 * it takes are refused with 503 and Retry-After instead of queueing, and once the load is gone the container takes
 * every call again.
 */
class OverloadIT {

    @TempDir
    Path dir;
    int sipPort;
    Container container;
    DrachtioServer external;

    @AfterEach
    void stop() {
        System.clearProperty("overload.hold");
        if (container != null) {
            container.close();
        }
        if (external != null) {
            external.close();
        }
    }

    private void start(boolean withExternalServer) throws Exception {
        System.setProperty("overload.hold", "50");
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Archives.jar(deployments.resolve("slow.jar"), "org.switchboard.testapps.overload", Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE\nrouting.user=slow\n"));
        sipPort = FreePorts.udp();
        // marks well above what a loaded machine adds to a 50 ms call, so that only the queue can reach them
        Map<String, String> settings = new HashMap<>(Map.of(
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "admin.listen", "127.0.0.1:0",
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString(),
                "overload.shed", "true",
                "overload.high", "1000",
                "overload.low", "300",
                "overload.recovery", "1000",
                "overload.retry-after", "3"));
        if (withExternalServer) {
            // a server without a shedder of its own, as drachtio-server: the container answers the 503s itself
            external = DrachtioServer.start(DrachtioServerConfig.builder()
                    .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                    .secret(ContainerModesIT.SECRET)
                    .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500),
                            TimerConfig.DEFAULTS))
                    .build());
            settings.putAll(Map.of("drachtio.mode", "inbound", "drachtio.port", Integer.toString(external.adminAddress().getPort()),
                    "drachtio.secret", ContainerModesIT.SECRET));
        }
        container = Container.start(ContainerConfig.of(settings));
        if (withExternalServer) {
            Poll.await(Duration.ofSeconds(10), "the container's INVITE route registered", () -> external.routes("invite") > 0);
        }
    }

    private Sipp calls(Sipp sipp, int rate, int count) {
        return sipp.target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "slow", "-r", Integer.toString(rate), "-m", Integer.toString(count))
                .deadline(Duration.ofSeconds(90));
    }

    @Test
    void theEmbeddedServerSheds503WithRetryAfterAboveCapacityAndTakesEveryCallOnceTheLoadIsGone() throws Exception {
        start(false);
        overloadThenRecover();
    }

    @Test
    void withAnExternalServerTheContainerSheds503WithRetryAfterItself() throws Exception {
        start(true);
        overloadThenRecover();
    }

    private void overloadThenRecover() throws Exception {
        LoadShedder shedder = container.sip().loadShedder().orElseThrow();
        ShedCounters counters = shedder.counters();

        // 5x the application's capacity for 4 s: every call ends with its 200 or with a 503 that has Retry-After
        Sipp.Result overload = calls(Sipp.scenario(Path.of(getClass().getResource("/sipp/uac-or-503-retry-after.xml").toURI())),
                100, 400).run();
        assertThat(overload.failedCalls()).as(overload.describe()).isZero();
        assertThat(overload.successfulCalls()).as(overload.describe()).isEqualTo(400);
        assertThat(counters.shed()).as("INVITEs refused with 503: " + counters).isPositive();
        assertThat(counters.admitted()).as("calls still taken while shedding: " + counters).isPositive();
        assertThat(counters.episodes()).isPositive();

        Poll.await(Duration.ofSeconds(30), "back to taking every call (" + counters + ")", () -> !shedder.overloaded());
        long shed = counters.shed();

        // a fifth of the capacity: no call refused (a 503 fails a call of sipp's plain uac)
        Sipp.Result after = calls(Sipp.builtIn("uac"), 4, 20).run();
        assertThat(after.failedCalls()).as(after.describe()).isZero();
        assertThat(after.successfulCalls()).as(after.describe()).isEqualTo(20);
        assertThat(counters.shed()).as("no 503 after the overload").isEqualTo(shed);
        assertThat(Poll.until(Duration.ofSeconds(10), container.sip()::isIdle)).as(container.sip().stats()).isTrue();
    }
}
