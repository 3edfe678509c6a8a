package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/** The flows of {@link SrfInteropIT} with the Java client as the app, against the embedded server and sipp. */
class JavaClientFlowsIT extends ServerTestBase {

    @Test
    void javaUasAnswersSippCalls() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Result r = sipp(Sipp.builtIn("uac"), "-m", "50", "-r", "25", "-d", "100");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.successfulCalls()).isEqualTo(50);
            assertThat(app.answered()).isEqualTo(50);
            assertThat(app.inDialog()).as("BYEs delivered in their dialogs").isEqualTo(50);
            assertThat(server.dialogCount()).isZero();
        }
    }

    @Test
    void javaUasRejects() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 480)) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "-m", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(server.dialogCount()).isZero();
        }
    }

    @Test
    void callerCancelReachesTheJavaApp() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 180)) {
            Sipp.Result r = sipp(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-m", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            // the CANCEL frame follows the 487 the caller already has: give its delivery a moment
            Poll.until(Duration.ofSeconds(5), () -> app.canceled() >= 2);
            assertThat(app.canceled()).isEqualTo(2);
        }
    }

    @Test
    void javaUacCallsSippUasThenAcksAndHangsUp() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running uas = Sipp.builtIn("uas").args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "3")
                .deadline(Duration.ofSeconds(30)).start();
        uas.awaitUdpBound(port, Duration.ofSeconds(10));
        Map<String, CompletableFuture<DrachtioFrame>> finals = new ConcurrentHashMap<>();
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder()
                .host("127.0.0.1").port(server.adminAddress().getPort()).build(), frame -> {
                    String sip = frame.sipMessage().orElse("");
                    if (frame.keyword().equals("sip") && sip.startsWith("SIP/2.0 ") && !sip.startsWith("SIP/2.0 1")) {
                        finals.computeIfAbsent(frame.transactionId(), k -> new CompletableFuture<>()).complete(frame);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            for (int call = 0; call < 3; call++) {
                DrachtioFrame sent = client.sendSip("", "", Optional.empty(), "INVITE sip:service@127.0.0.1:" + port
                        + " SIP/2.0\r\nX-Java: yes\r\n\r\n" + JavaUasApp.SDP).get(10, TimeUnit.SECONDS);
                assertThat(sent.isOk()).as(sent.toString()).isTrue();
                String invite = sent.sipMessage().orElseThrow();
                assertThat(invite).contains("Via: SIP/2.0/UDP", ";branch=z9hG4bK", "Max-Forwards: 70", "Call-ID: ",
                        "CSeq: ", "Contact: <sip:127.0.0.1:", "X-Java: yes", "Content-Type: application/sdp",
                        "Content-Length: " + JavaUasApp.SDP.length());
                DrachtioFrame ok = finals.computeIfAbsent(sent.transactionId(), k -> new CompletableFuture<>())
                        .get(10, TimeUnit.SECONDS);
                assertThat(ok.sipMessage().orElseThrow()).startsWith("SIP/2.0 200");
                String dialogId = ok.dialogId();
                assertThat(dialogId).contains(";from-tag=");
                DrachtioFrame ack = client.sendSip("", dialogId, Optional.empty(),
                        "ACK sip:service@127.0.0.1:" + port + " SIP/2.0\r\n\r\n").get(10, TimeUnit.SECONDS);
                assertThat(ack.isOk()).as(ack.toString()).isTrue();
                assertThat(ack.sipMessage().orElseThrow()).contains("CSeq: " + invite.replaceAll("(?s).*CSeq: (\\d+).*", "$1") + " ACK");
                DrachtioFrame bye = client.sendSip("", dialogId, Optional.empty(), "BYE sip:placeholder SIP/2.0\r\n\r\n")
                        .get(10, TimeUnit.SECONDS);
                assertThat(bye.isOk()).as(bye.toString()).isTrue();
                assertThat(bye.sipMessage().orElseThrow()).doesNotContain("placeholder");
                DrachtioFrame byeOk = finals.computeIfAbsent(bye.transactionId(), k -> new CompletableFuture<>())
                        .get(10, TimeUnit.SECONDS);
                assertThat(byeOk.sipMessage().orElseThrow()).startsWith("SIP/2.0 200");
                assertThat(byeOk.dialogId()).isEqualTo(dialogId);
            }
            Sipp.Result r = uas.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(3);
            assertThat(server.dialogCount()).isZero();
        } finally {
            client.close();
        }
    }

    @Test
    void anAppThatDisconnectsLeavesNoCallHanging() throws Exception {
        CompletableFuture<DrachtioFrame> delivered = new CompletableFuture<>();
        DrachtioClient silent = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).reconnect(false).build(), delivered::complete).get(10, TimeUnit.SECONDS);
        silent.route("invite").get(10, TimeUnit.SECONDS);
        Sipp.Running caller = Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")).target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1")
                .deadline(Duration.ofSeconds(20)).start();
        assertThat(delivered.get(10, TimeUnit.SECONDS).sipMessage().orElseThrow()).startsWith("INVITE ");
        silent.close(); // the app goes away without answering: the caller must get 480 at once, not wait 64 s
        Sipp.Result r = caller.await();
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void newCallsAreSpreadRoundRobinAndSkipADisconnectedApp() throws Exception {
        JavaUasApp a = JavaUasApp.connect(server.adminAddress(), 200);
        JavaUasApp b = JavaUasApp.connect(server.adminAddress(), 200);
        JavaUasApp c = JavaUasApp.connect(server.adminAddress(), 200);
        try {
            Sipp.Result r = sipp(Sipp.builtIn("uac"), "-m", "4", "-r", "10");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(4);
            assertThat(List.of(a.answered(), b.answered(), c.answered())).allMatch(n -> n >= 1)
                    .containsExactlyInAnyOrder(1L, 1L, 2L);
            c.close();
            Poll.await(Duration.ofSeconds(5), "the closed app's route gone", () -> server.routes("invite") == 2);
            long before = c.answered();
            r = sipp(Sipp.builtIn("uac"), "-m", "6", "-r", "10");
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(6);
            assertThat(c.answered()).isEqualTo(before);
            assertThat(a.answered() + b.answered()).isEqualTo(4 - before + 6);
        } finally {
            a.close();
            b.close();
        }
    }

    private static Sipp.Running callee(java.nio.file.Path scenario, int port, int calls) throws InterruptedException {
        Sipp.Running running = (scenario == null ? Sipp.builtIn("uas") : Sipp.scenario(scenario))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(30)).start();
        return running.awaitUdpBound(port, Duration.ofSeconds(10));
    }

    @Test
    void javaB2buaBridgesTwoSipps() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(null, port, 5);
        try (JavaB2bua app = JavaB2bua.connect(server.adminAddress(), "sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.builtIn("uac"), "-m", "5", "-r", "5", "-d", "200");
            assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(5);
            Sipp.Result r = b.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(5);
        }
    }

    @Test
    void javaB2buaPassesCancelAndA4xx() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-cancel.xml"), port, 1);
        try (JavaB2bua app = JavaB2bua.connect(server.adminAddress(), "sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-m", "1");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            Sipp.Result r = b.await();
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
        port = FreePorts.udp();
        b = callee(Interop.path("sipp/uas-404.xml"), port, 1);
        try (JavaB2bua app = JavaB2bua.connect(server.adminAddress(), "sip:b@127.0.0.1:" + port)) {
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-expect-404.xml")), "-m", "1");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            assertThat(b.await().exitCode()).isZero();
        }
        assertThat(server.dialogCount()).isZero();
    }

    @Test
    void javaProxyRecordRoutes() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas.xml"), port, 2);
        String target = "sip:b@127.0.0.1:" + port;
        CompletableFuture<DrachtioClient> proxyApp = new CompletableFuture<>();
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> {
                    if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith("INVITE ")) {
                        proxyApp.join().request("proxy", List.of(frame.transactionId(), "remainInDialog", "fullResponse", "",
                                "serial", "", "", target), Optional.of("INVITE " + target + " SIP/2.0\r\n\r\n"));
                    }
                }).get(10, TimeUnit.SECONDS);
        proxyApp.complete(client);
        try {
            client.route("invite").get(5, TimeUnit.SECONDS);
            Sipp.Result a = sipp(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-m", "2", "-d", "100");
            assertThat(a.exitCode()).as(a.describe()).isZero();
            Sipp.Result r = b.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
        } finally {
            client.close();
        }
    }

    @Test
    void javaAppAnswersRegisterOptionsReInviteAndInfo() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200, "", "register", "options")) {
            Sipp.Result r = sipp(Sipp.scenario(resource("register-options.xml")), "-m", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            r = sipp(Sipp.scenario(Interop.path("switchboard-sipp/uac-reinvite-info.xml")), "-m", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            // the re-INVITEs were answered too (sipp checks every 200); INFO and BYE count as in-dialog requests
            assertThat(app.inDialog()).as("INFO and BYE of two calls").isEqualTo(4);
        }
    }

    private static java.nio.file.Path resource(String name) throws java.net.URISyntaxException {
        return java.nio.file.Path.of(JavaClientFlowsIT.class.getResource("/sipp/" + name).toURI());
    }
}
