package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
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
import org.switchboard.testing.net.FreePorts;
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
                     .sessions(new RecordingSessions(recordRoutes, new CopyOnWriteArrayList<>()))
                     .build())) {
            int udp = port(server, Transport.UDP);
            int tls = port(server, Transport.TLS);
            String target = "sip:b@127.0.0.1:" + callee.stack().transport().listenPoints().get(0).address().getPort()
                    + ";transport=tls";
            try (ProxyingApp app = ProxyingApp.connect(server, "INVITE", target)) {
                Sipp.Result caller = Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).target("127.0.0.1:" + udp)
                        .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "2", "-d", "100")
                        .deadline(Duration.ofSeconds(40)).run();
                assertThat(caller.exitCode()).as(caller.describe()).isZero();
                Poll.await(Duration.ofSeconds(10), "the callee over TLS answered two calls and got their BYEs",
                        () -> callee.stats().answered() == 2 && callee.stats().byesReceived() == 2);
            }
            assertThat(recordRoutes).hasSize(2).allSatisfy(rr -> assertThat(rr).extracting(NameAddress::toString)
                    .containsExactly("<sip:127.0.0.1:" + tls + ";transport=tls;lr;r2=on>",
                            "<sip:127.0.0.1:" + udp + ";lr;r2=on>"));
            assertThat(server.sipStack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }

    /**
     * RFC 5626: a caller over TCP behind NAT (its Via and {@code ob} Contact name an address nobody can reach) calls a
     * callee on UDP through a record-routing app. The caller's side of the Record-Route pair carries a flow token, so
     * the callee's BYE, sent along the route set, comes down the caller's own connection; without the token it would
     * go to the caller's Contact and be lost.
     */
    @Test
    void aFlowTokenTakesTheCalleesByeDownTheConnectionOfACallerBehindNat() throws Exception {
        List<List<NameAddress>> recordRoutes = new CopyOnWriteArrayList<>();
        List<Dialog> dialogs = new CopyOnWriteArrayList<>();
        try (DrachtioServer server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder()
                        .listen(Transport.UDP, "127.0.0.1", 0).listen(Transport.TCP, "127.0.0.1", 0).build(),
                        TimerConfig.DEFAULTS))
                .build());
             UserAgent callee = UserAgent.start(UserAgentConfig.builder()
                     .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                             TimerConfig.DEFAULTS))
                     .sessions(new RecordingSessions(recordRoutes, dialogs))
                     .build())) {
            int tcp = port(server, Transport.TCP);
            try (ProxyingApp app = ProxyingApp.connect(server, "INVITE", "sip:b@127.0.0.1:"
                    + callee.stack().transport().listenPoints().get(0).address().getPort());
                 Socket caller = new Socket(InetAddress.getLoopbackAddress(), tcp)) {
                caller.setSoTimeout(10_000);
                String natted = "SIP/2.0/TCP 192.0.2.1:5999;branch=z9hG4bK-nat-";
                String dialog = "From: <sip:a@example.com>;tag=nat-a\r\nCall-ID: flow-token-1\r\n";
                caller.getOutputStream().write(("INVITE sip:b@127.0.0.1:" + tcp + ";transport=tcp SIP/2.0\r\n"
                        + "Via: " + natted + "1;rport\r\nMax-Forwards: 70\r\n" + dialog + "To: <sip:b@example.com>\r\n"
                        + "CSeq: 1 INVITE\r\nContact: <sip:a@192.0.2.1:5999;transport=tcp;ob>\r\n"
                        + "Content-Type: application/sdp\r\nContent-Length: " + JavaUasApp.SDP.length() + "\r\n\r\n"
                        + JavaUasApp.SDP).getBytes(StandardCharsets.US_ASCII));
                SipResponse ok;
                do {
                    ok = (SipResponse) Sip.read(caller.getInputStream());
                } while (ok.status() < 200);
                assertThat(ok.status()).isEqualTo(200);
                List<NameAddress> routeSet = new ArrayList<>(ok.recordRoutes());
                assertThat(routeSet).hasSize(2);
                assertThat(routeSet.get(1).toString()).as("the caller's side, with its flow token")
                        .matches("<sip:[A-Za-z0-9_-]+@127\\.0\\.0\\.1:" + tcp + ";transport=tcp;lr;r2=on>");
                Collections.reverse(routeSet);
                StringBuilder ack = new StringBuilder("ACK " + ok.contacts().get(0).uri() + " SIP/2.0\r\n"
                        + "Via: " + natted + "2;rport\r\nMax-Forwards: 70\r\n" + dialog + "To: " + ok.to() + "\r\n");
                routeSet.forEach(r -> ack.append("Route: ").append(r).append("\r\n"));
                caller.getOutputStream().write(ack.append("CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n").toString()
                        .getBytes(StandardCharsets.US_ASCII));
                Poll.await(Duration.ofSeconds(10), "the callee got the caller's ACK", () -> !dialogs.isEmpty()
                        && dialogs.get(0).isConfirmed());

                CompletableFuture<SipResponse> byeAnswered = dialogs.get(0).bye();
                SipMessage next;
                do { // the 200 again, when the callee resent it before the ACK reached it
                    next = Sip.read(caller.getInputStream());
                } while (next instanceof SipResponse);
                SipRequest bye = (SipRequest) next;
                assertThat(bye.method()).isEqualTo("BYE");
                caller.getOutputStream().write(SipResponse.forRequest(bye, 200).build().toBytes());
                assertThat(byeAnswered.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
    }

    private static int port(DrachtioServer server, Transport transport) {
        return server.sipListenPoints().stream().filter(p -> p.transport() == transport).findFirst()
                .map(ListenPoint::address).orElseThrow().getPort();
    }

    /** Answers every INVITE, keeping its Record-Route headers and its dialog. */
    private record RecordingSessions(List<List<NameAddress>> recordRoutes, List<Dialog> dialogs) implements SessionHandler {
        @Override
        public CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage incoming) {
            recordRoutes.add(invite.recordRoutes());
            dialogs.add(dialog);
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
