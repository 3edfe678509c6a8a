package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Nothing of a call outlives it: calls of every kind run through the server (answered, rejected, canceled by the
 * caller, proxied, bridged by a B2BUA, and one its app never answers until the park time ends), and afterwards
 * every per-call registry of the server is empty again.
 */
class CallRegistriesIT {

    // longer than any scenario waits before its app answers or its caller cancels (uac-cancel.xml: 500 ms)
    private static final Duration PARK = Duration.ofSeconds(3);

    private DrachtioServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(TimerConfig.DEFAULT_T1, PARK, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Sipp.Result sipp(Sipp sipp, String... args) {
        return sipp.target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()))
                .args(args).deadline(Duration.ofSeconds(40)).run();
    }

    private static Sipp.Running callee(Path scenario, int port, int calls) throws InterruptedException {
        Sipp.Running running = (scenario == null ? Sipp.builtIn("uas") : Sipp.scenario(scenario))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(30)).start();
        return running.awaitUdpBound(port, Duration.ofSeconds(10));
    }

    /** Every per-call registry empties within a few seconds of the last call's end. */
    private void assertNothingLeft(String after) throws InterruptedException {
        boolean empty = Poll.until(Duration.ofSeconds(10), () -> server.registries().empty());
        assertThat(server.registries()).as("per-call registries after " + after)
                .isEqualTo(new ServerCore.Registries(0, 0, 0, 0, 0));
        assertThat(empty).isTrue();
    }

    @Test
    void answeredCalls() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Result r = sipp(Sipp.builtIn("uac"), "-m", "5", "-r", "10", "-d", "100");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(5);
            assertNothingLeft("answered calls");
        }
    }

    @Test
    void rejectedCalls() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 480)) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "-m", "3");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertNothingLeft("rejected calls");
        }
    }

    @Test
    void callsTheCallerCancels() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 180)) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-m", "3");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertNothingLeft("canceled calls");
        }
    }

    @Test
    void proxiedCalls() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas.xml"), port, 2);
        String target = "sip:b@127.0.0.1:" + port;
        CompletableFuture<DrachtioClient> proxyApp = new CompletableFuture<>();
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> {
                    if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith("INVITE ")) {
                        proxyApp.join().request("proxy", List.of(frame.transactionId(), "remainInDialog", "", "",
                                "serial", "", "", target), Optional.empty());
                    }
                }).get(10, TimeUnit.SECONDS);
        proxyApp.complete(client);
        try {
            client.route("invite").get(5, TimeUnit.SECONDS);
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-m", "2", "-d", "100");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(b.await().successfulCalls()).isEqualTo(2);
            assertNothingLeft("proxied calls");
        } finally {
            client.close();
        }
    }

    @Test
    void bridgedCallsAndABridgedCancel() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(null, port, 3);
        try (JavaB2bua app = JavaB2bua.connect(server.adminAddress(), "sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.builtIn("uac"), "-m", "3", "-r", "5", "-d", "100");
            assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(3);
            assertThat(b.await().successfulCalls()).isEqualTo(3);
            assertNothingLeft("bridged calls");
        }
        port = FreePorts.udp();
        b = callee(Interop.path("sipp/uas-cancel.xml"), port, 1);
        try (JavaB2bua app = JavaB2bua.connect(server.adminAddress(), "sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-m", "1");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(b.await().exitCode()).isZero();
            assertNothingLeft("a bridged cancel");
        }
    }

    @Test
    void aCallItsAppNeverAnswersEndsWithThePark() throws Exception {
        CompletableFuture<String> delivered = new CompletableFuture<>();
        DrachtioClient silent = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), f -> delivered.complete(f.sipMessage().orElse("")))
                .get(10, TimeUnit.SECONDS);
        try (silent; UdpCaller caller = new UdpCaller(PARK.multipliedBy(3))) {
            silent.route("invite").get(5, TimeUnit.SECONDS);
            caller.invite(server, "park-1");
            assertThat(delivered.get(5, TimeUnit.SECONDS)).startsWith("INVITE ");

            assertThat(caller.finalResponse()).startsWith("SIP/2.0 408");
            assertNothingLeft("a call its app never answered");
        }
    }
}
