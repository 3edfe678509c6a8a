package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.kamailio.Kamailio;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * TLS with a real peer: Kamailio (Debian, with its TLS module) relays sipp's UDP calls to the embedded server's only
 * listener, {@code sip:127.0.0.1:0;transport=tls}, as {@code sip-server --contact ...;transport=tls --key-file K
 * --cert-file C} would run; a drachtio app answers, or bridges the call back out over TLS through Kamailio to a sipp
 * UAS. In-dialog requests follow Kamailio's double Record-Route and the server's Contact, so a call completes only if
 * each side names its TLS transport correctly. Skipped when kamailio is not installed.
 */
class KamailioTlsIT {

    private static final int CALLS = 10;

    @TempDir
    static Path dir;
    static DrachtioServer server;
    static String serverTls;
    static Identity kamailioIdentity;
    private Kamailio kamailio;

    @BeforeAll
    static void start() {
        Identity identity = TestCertificates.localhost(dir, "server");
        kamailioIdentity = TestCertificates.localhost(dir, "kamailio");
        // the server checks Kamailio's certificate when it connects out, against the test CA
        TlsConfig tls = TlsConfig.builder().pem(identity.certificate(), identity.privateKey())
                .trustedCertificates(TestCertificates.authority(dir)).build();
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:0;transport=tls"),
                        TransportConfig.builder().tls(tls)), TimerConfig.DEFAULTS))
                .build());
        serverTls = "sip:127.0.0.1:" + server.sipListenPoints().get(0).address().getPort() + ";transport=tls";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stopKamailio() {
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private Kamailio kamailio(int sippUasPort) {
        kamailio = Kamailio.relay(dir.resolve("kamailio"))
                .tls(kamailioIdentity.certificate(), kamailioIdentity.privateKey(), TestCertificates.authority(dir))
                .forward("udp", serverTls)
                .forward("tls", "sip:127.0.0.1:" + sippUasPort)
                .start();
        return kamailio;
    }

    private Sipp.Result sippCalls(Kamailio relay) {
        // sipp's scenario that keeps the Record-Route set and sends its ACK and BYE by it
        return Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).target("127.0.0.1:" + relay.udpPort())
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-s", "service",
                        "-m", Integer.toString(CALLS), "-r", "5", "-d", "100")
                .deadline(Duration.ofSeconds(60)).run();
    }

    @Test
    void sippCallsRelayedOverTlsReachAnAppAndHangUp() throws Exception {
        Kamailio relay = kamailio(FreePorts.udp());
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200)) {
            Sipp.Result r = sippCalls(relay);

            assertThat(r.exitCode()).as(r.describe() + "\n-- kamailio --\n" + relay.log()).isZero();
            assertThat(r.successfulCalls()).isEqualTo(CALLS);
            assertThat(app.answered()).isEqualTo(CALLS);
            Poll.until(Duration.ofSeconds(10), () -> app.inDialog() == CALLS && server.dialogCount() == 0);
            assertThat(app.inDialog()).as("BYEs that reached the app over TLS").isEqualTo(CALLS);
            assertThat(server.dialogCount()).as("dialogs left").isZero();
            assertThat(server.sipStack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }

    @Test
    void anAppBridgesTlsCallsBackOutOverTlsToAUdpCallee() throws Exception {
        int calleePort = FreePorts.udp();
        Kamailio relay = kamailio(calleePort);
        // sipp's UAS scenario that returns the Record-Route set (the built-in one drops it)
        Sipp.Running callee = Sipp.scenario(Interop.path("sipp/uas.xml")).args("-i", "127.0.0.1", "-p", Integer.toString(calleePort),
                "-m", Integer.toString(CALLS)).deadline(Duration.ofSeconds(60)).start()
                .awaitUdpBound(calleePort, Duration.ofSeconds(10));
        try (JavaB2bua b2bua = JavaB2bua.connect(server.adminAddress(),
                "sip:callee@127.0.0.1:" + relay.tlsPort() + ";transport=tls")) {
            Sipp.Result caller = sippCalls(relay);
            Sipp.Result answered = callee.await();

            assertThat(caller.exitCode()).as(caller.describe() + "\n-- kamailio --\n" + relay.log()).isZero();
            assertThat(caller.successfulCalls()).isEqualTo(CALLS);
            assertThat(answered.exitCode()).as(answered.describe()).isZero();
            assertThat(answered.successfulCalls()).isEqualTo(CALLS);
            Poll.await(Duration.ofSeconds(10), "no dialog left", () -> server.dialogCount() == 0);
            assertThat(server.sipStack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }
}
