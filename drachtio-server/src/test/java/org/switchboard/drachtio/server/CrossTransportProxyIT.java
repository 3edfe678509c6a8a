package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.Dialog;
import org.switchboard.sip.stack.ua.SessionHandler;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * The server's own proxy between transports: sipp calls over UDP, a Java app proxies each INVITE with Record-Route
 * to a user agent listening over TLS only. The INVITE leaves with two Record-Routes (RFC 5658), the TLS side's on
 * top; the caller's ACK and BYE, sent along the route set over UDP, reach the callee over TLS, and so would the
 * callee's requests the other way.
 */
class CrossTransportProxyIT {

    @TempDir
    Path dir;

    @Test
    void udpInTlsOutWithADoubleRecordRoute() throws Exception {
        Path ca = TestCertificates.authority(dir);
        Identity serverIdentity = TestCertificates.localhost(dir, "server");
        Identity calleeIdentity = TestCertificates.localhost(dir, "callee");
        List<List<NameAddress>> recordRoutes = new CopyOnWriteArrayList<>();
        try (DrachtioServer server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder()
                        .listen(Transport.UDP, "127.0.0.1", 0).listen(Transport.TLS, "127.0.0.1", 0)
                        .tls(TlsConfig.builder().pem(serverIdentity.certificate(), serverIdentity.privateKey())
                                .trustedCertificates(ca).build())
                        .build(), TimerConfig.DEFAULTS))
                .build());
             UserAgent callee = UserAgent.start(UserAgentConfig.builder()
                     .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0)
                             .tls(TlsConfig.builder().pem(calleeIdentity.certificate(), calleeIdentity.privateKey())
                                     .trustedCertificates(ca).build()).build(), TimerConfig.DEFAULTS))
                     .sessions(new RecordingSessions(recordRoutes))
                     .build())) {
            int udp = port(server, Transport.UDP);
            int tls = port(server, Transport.TLS);
            String target = "sip:b@127.0.0.1:" + callee.stack().transport().listenPoints().get(0).address().getPort()
                    + ";transport=tls";
            DrachtioClient app = proxyingApp(server, target);
            try {
                app.route("invite").get(5, TimeUnit.SECONDS);
                Sipp.Result caller = Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).target("127.0.0.1:" + udp)
                        .args("-i", "127.0.0.1", "-p", Integer.toString(TestServers.freeUdpPort()), "-m", "2", "-d", "100")
                        .deadline(Duration.ofSeconds(40)).run();
                assertThat(caller.exitCode()).as(caller.describe()).isZero();
                Poll.await(Duration.ofSeconds(10), "the callee over TLS answered two calls and got their BYEs",
                        () -> callee.stats().answered() == 2 && callee.stats().byesReceived() == 2);
            } finally {
                app.close();
            }
            assertThat(recordRoutes).hasSize(2).allSatisfy(rr -> assertThat(rr).extracting(NameAddress::toString)
                    .containsExactly("<sip:127.0.0.1:" + tls + ";transport=tls;lr;r2=on>",
                            "<sip:127.0.0.1:" + udp + ";lr;r2=on>"));
            assertThat(server.sipStack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }

    private static int port(DrachtioServer server, Transport transport) {
        return server.sipListenPoints().stream().filter(p -> p.transport() == transport).findFirst()
                .map(ListenPoint::address).orElseThrow().getPort();
    }

    /** An app that proxies every new INVITE to {@code target}, record-routing, as drachtio-srf's proxyRequest does. */
    private static DrachtioClient proxyingApp(DrachtioServer server, String target) throws Exception {
        CompletableFuture<DrachtioClient> self = new CompletableFuture<>();
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> {
                    if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith("INVITE ")) {
                        self.join().request("proxy", List.of(frame.transactionId(), "remainInDialog", "fullResponse", "",
                                "serial", "", "", target), Optional.of("INVITE " + target + " SIP/2.0\r\n\r\n"));
                    }
                }).get(10, TimeUnit.SECONDS);
        self.complete(client);
        return client;
    }

    /** Answers every INVITE, keeping its Record-Route headers. */
    private record RecordingSessions(List<List<NameAddress>> recordRoutes) implements SessionHandler {
        @Override
        public CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage incoming) {
            recordRoutes.add(invite.recordRoutes());
            return CompletableFuture.completedFuture(Answer.accept(JavaUasApp.SDP));
        }

        @Override
        public CompletionStage<Answer> onReinvite(Dialog dialog, SipRequest reinvite) {
            return CompletableFuture.completedFuture(Answer.accept(JavaUasApp.SDP));
        }

        @Override
        public void onAck(Dialog dialog, SipRequest ack) {
        }
    }
}
