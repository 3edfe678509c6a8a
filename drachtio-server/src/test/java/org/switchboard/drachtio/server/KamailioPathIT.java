package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.kamailio.Kamailio;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * Path (RFC 3327) with outbound flow tokens (RFC 5626) against a real registrar: SIP.js on Node registers over WSS
 * through the embedded server, where a Java app proxies the REGISTER to Kamailio (registrar, usrloc, {@code use_path})
 * over UDP. The server's Path names the phone's WebSocket connection by a flow token; Kamailio stores it, and a call
 * that sipp places to the phone's AOR at Kamailio follows it back down that connection (the phone's Contact is an
 * {@code .invalid} host: nothing else reaches it). Once the phone is gone, a request routed by the token gets 430
 * (Flow Failed). Skipped when kamailio or the npm peers are not installed.
 */
class KamailioPathIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aWssPhoneRegisteredThroughThePathIsCalledDownItsConnectionAndIsGoneWithIt() throws Exception {
        Identity identity = TestCertificates.localhost(dir, "server");
        TlsConfig tls = TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).build();
        try (DrachtioServer server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:0;transport=udp",
                        "sips:127.0.0.1:0;transport=wss"), TransportConfig.builder().tls(tls)), TimerConfig.DEFAULTS))
                .build());
             Kamailio registrar = Kamailio.registrar(dir.resolve("kamailio")).start();
             ProxyingApp proxy = ProxyingApp.connect(server, "REGISTER", "sip:127.0.0.1:" + registrar.udpPort())) {
            int udp = port(server, Transport.UDP);
            int wss = port(server, Transport.WSS);
            NodeProcess phone = NodeProcess.start(NodeApp.NODE_DIR, "sip.js",
                    Map.of("NODE_EXTRA_CA_CERTS", TestCertificates.authority(dir).toAbsolutePath().toString()),
                    line -> line.startsWith("start failed") || line.startsWith("register failed"),
                    "sipjs-phone.js", "wss://127.0.0.1:" + wss, "sip:alice@example.com");
            try {
                phone.send("register");
                phone.await(l -> l.startsWith("registered "), Duration.ofSeconds(10));
                assertThat(proxy.lastProtocol()).isEqualTo("wss");

                // Kamailio keeps the server's Path: its UDP side, then the phone's side with the flow token and ob
                String location = registrar.rpc("ul.dump");
                assertThat(location).as(location).contains("alice")
                        .containsPattern("<sip:127\\.0\\.0\\.1:" + udp + ";lr;r2=on>,\\s*<sip:[A-Za-z0-9_-]{20,}@127\\.0\\.0\\.1:"
                                + wss + ";transport=wss;lr;r2=on;ob>");

                Sipp.Result call = Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).target("127.0.0.1:" + registrar.udpPort())
                        .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-s", "alice",
                                "-m", "1", "-d", "200")
                        .deadline(Duration.ofSeconds(30)).run();
                assertThat(call.exitCode()).as(call.describe() + "\n-- kamailio --\n" + registrar.log()).isZero();
                phone.await(l -> l.startsWith("incoming "), Duration.ofSeconds(5));
                phone.await(l -> l.equals("established"), Duration.ofSeconds(5));
                // sipp's BYE went along the Record-Route set: Kamailio, then the server's flow to the phone
                phone.await(l -> l.equals("terminated"), Duration.ofSeconds(10));
                Poll.await(Duration.ofSeconds(10), "no dialog left", () -> server.dialogCount() == 0);
            } finally {
                phone.close();
            }

            Destination flow = new Destination(Transport.WSS, proxy.lastSource());
            Poll.await(Duration.ofSeconds(10), "the server saw the phone's connection close",
                    () -> !server.sipStack().transport().isOpen(flow));
            // Kamailio still has the binding: the call reaches the server by the Path and the flow is gone
            try (UdpCaller caller = new UdpCaller(Duration.ofSeconds(10))) {
                caller.invite(new InetSocketAddress("127.0.0.1", registrar.udpPort()), "sip:alice@127.0.0.1:"
                        + registrar.udpPort(), "flow-failed");
                assertThat(caller.finalResponse()).startsWith("SIP/2.0 430 ");
            }
        }
    }

    private static int port(DrachtioServer server, Transport transport) {
        return server.sipListenPoints().stream().filter(p -> p.transport() == transport).map(ListenPoint::address)
                .findFirst().orElseThrow().getPort();
    }
}
