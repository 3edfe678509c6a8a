package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * Two user agents calling each other over SIP over WebSocket and secure WebSocket (RFC 7118) on loopback: the
 * upgrade with the {@code sip} subprotocol, one message per WebSocket message, and the WS/WSS Via.
 */
class WebSocketCallsIT {

    @TempDir
    static Path dir;
    static Path ca;
    static Identity identity;

    private final List<UserAgent> agents = new ArrayList<>();
    private final List<String> invites = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority(dir);
        identity = TestCertificates.localhost(dir, "ua");
    }

    @AfterEach
    void stop() {
        agents.forEach(UserAgent::close);
    }

    private UserAgent agent(Transport transport, SessionHandler sessions) {
        TransportConfig.Builder t = TransportConfig.builder().listen(transport, "127.0.0.1", 0)
                .webSocketPingInterval(Duration.ofMillis(200));
        if (transport.isSecure()) {
            t.tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).trustedCertificates(ca).build());
        }
        UserAgentConfig.Builder b = UserAgentConfig.builder()
                .stack(new SipStackConfig(t.build(), TimerConfig.scaled(Duration.ofMillis(100))));
        if (sessions != null) {
            b.sessions(sessions);
        }
        UserAgent ua = UserAgent.start(b.build());
        agents.add(ua);
        return ua;
    }

    @ParameterizedTest
    @CsvSource({"WS, sip, ws", "WSS, sips, ws", "WSS, sip, wss"})
    void callsAndHangsUp(Transport transport, String scheme, String parameter) throws Exception {
        UserAgent uas = agent(transport, new SessionHandler() {
            @Override
            public CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage in) {
                invites.add(in.transport() + " " + invite.topVia().transport());
                return CompletableFuture.completedFuture(Answer.accept("v=0\r\n"));
            }

            @Override
            public CompletionStage<Answer> onReinvite(Dialog dialog, SipRequest reinvite) {
                return CompletableFuture.completedFuture(Answer.accept("v=0\r\n"));
            }

            @Override
            public void onAck(Dialog dialog, SipRequest ack) {
            }
        });
        UserAgent uac = agent(transport, null);
        int port = uas.stack().transport().listenPoints().get(0).address().getPort();
        SipUri uri = SipUri.parse(scheme + ":service@127.0.0.1:" + port + ";transport=" + parameter);
        Destination destination = Destination.ofLiteral(uri).orElseThrow();
        assertThat(destination.transport()).isEqualTo(transport);

        Dialog dialog = uac.invite(uri, destination, "v=0\r\n").get(10, TimeUnit.SECONDS);
        // pings every 200 ms: the connection must outlive several of them and still carry the BYE
        Poll.holds(Duration.ofMillis(700), "no dialog ended during the pings", () -> uas.dialogs().size() == 1);
        assertThat(dialog.bye().get(5, TimeUnit.SECONDS).status()).isEqualTo(200);

        assertThat(invites).containsExactly(transport + " " + transport);
        Poll.await(Duration.ofSeconds(5), "the UAS's dialog ended", () -> uas.dialogs().isEmpty());
    }
}
