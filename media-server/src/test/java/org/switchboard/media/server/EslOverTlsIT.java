package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.connection.ClientTls;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.stunnel.Stunnel;
import org.switchboard.testing.tls.TestCertificates;

/**
 * The ESL client over TLS through a real TLS front: Debian's stunnel before the embedded media server's event socket,
 * the set-up docs/esl.md describes for FreeSWITCH. Commands and events pass; an untrusted certificate and a
 * certificate for another host are refused with the reason.
 */
@Timeout(90)
class EslOverTlsIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void commandsAndEventsPassThroughStunnelAndBadCertificatesAreRefused() throws Exception {
        assumeTrue(Stunnel.binary().isPresent(), "stunnel is not installed (Debian's stunnel4; scripts/install-test-peers)");
        TestCertificates.Identity local = TestCertificates.localhost(dir, "esl-front");
        TestCertificates.Identity other = TestCertificates.forHost(dir, "other-front", "esl.example.net");
        try (MediaServer server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43040, 43060)
                .build());
             Stunnel stunnel = Stunnel.start(dir, List.of(new Stunnel.Front("esl", server.eslAddress().getPort(), local),
                     new Stunnel.Front("other", server.eslAddress().getPort(), other)))) {
            trustedFrontCarriesCommandsAndEvents(stunnel.port("esl"));
            refusals(stunnel.port("esl"), stunnel.port("other"));
        }
    }

    private void trustedFrontCarriesCommandsAndEvents(int front) throws Exception {
        List<EslEvent> events = new CopyOnWriteArrayList<>();
        try (EslClient client = EslClient.connect(config(front, "127.0.0.1", ClientTls.trusting(TestCertificates.authority(dir))),
                events::add).get(15, TimeUnit.SECONDS)) {
            assertThat(client.api("status").get(5, TimeUnit.SECONDS)).contains("is ready");
            client.subscribe(EventFormat.PLAIN, "BACKGROUND_JOB").get(5, TimeUnit.SECONDS);
            EslEvent job = client.bgapi("status").get(10, TimeUnit.SECONDS);
            assertThat(job.body()).contains("is ready");
            Poll.await(Duration.ofSeconds(5), "the BACKGROUND_JOB event at the listener",
                    () -> events.stream().anyMatch(e -> e.eventName().equals("BACKGROUND_JOB")));
        }
    }

    private void refusals(int front, int otherFront) {
        // the JDK's CAs do not include the test CA
        assertThatThrownBy(() -> EslClient.connect(config(front, "127.0.0.1", ClientTls.trustingDefaultCas()), e -> { })
                .get(15, TimeUnit.SECONDS))
                .hasMessageContaining("TLS handshake with esl+tls://127.0.0.1:" + front + " failed")
                .hasMessageContaining("unable to find valid certification path");
        // a trusted certificate, but for esl.example.net, not the address connected to
        assertThatThrownBy(() -> EslClient.connect(config(otherFront, "127.0.0.1",
                ClientTls.trusting(TestCertificates.authority(dir))), e -> { }).get(15, TimeUnit.SECONDS))
                .hasMessageContaining("TLS handshake with esl+tls://127.0.0.1:" + otherFront + " failed")
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found");
    }

    private static EslClientConfig config(int port, String host, ClientTls tls) {
        return EslClientConfig.builder().host(host).port(port).password("ClueCon").reconnect(false)
                .connectTimeout(Duration.ofSeconds(10)).tls(tls).build();
    }
}
