package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * A browser's SIP client with the {@code registrar-proxy} sample WAR in a container: SIP.js on Node (with {@code ws})
 * registers over the container's WSS listen point with digest authentication, and the sample's registrar records its
 * {@code .invalid} Contact (RFC 7118). A sipp caller over UDP reaches it through the sample's record-routing proxy,
 * twice: once the caller hangs up, once the phone does, so a BYE crosses the phone's connection each way; then the
 * phone calls a sipp UAS registered with the sample, which hangs up (its BYE finds the phone by the flow token in the
 * proxy's Record-Route). After the phone unregisters, its AOR gets 480 and
 * nothing of the calls is left in the container. Skipped when SIP.js is not installed (drachtio-server's Node peers).
 */
class WebSocketPhoneSampleIT {

    /** SIP.js and its phone script, installed for the drachtio-server module's tests. */
    private static final Path NODE_DIR = Path.of("../drachtio-server/src/test/node");

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aWssPhoneRegistersWithTheSampleIsCalledCallsOutAndUnregisters() throws Exception {
        Identity identity = TestCertificates.localhost(dir, "server");
        TestDeployments set = TestDeployments.in(dir).samples("registrar-proxy");
        int udp = set.sipPort();
        int wss = FreePorts.tcp();
        try (Container container = set.start("udp", "sip.contacts",
                "sip:127.0.0.1:" + udp + ";transport=udp,sips:127.0.0.1:" + wss + ";transport=wss",
                "sip.tls.cert", identity.certificate().toString(), "sip.tls.key", identity.privateKey().toString())) {
            NodeProcess phone = NodeProcess.start(NODE_DIR, "sip.js",
                    Map.of("NODE_EXTRA_CA_CERTS", TestCertificates.authority(dir).toAbsolutePath().toString()),
                    line -> line.contains("failed"),
                    "sipjs-phone.js", "wss://127.0.0.1:" + wss, "sip:alice@127.0.0.1", "wonderland");
            try {
                phone.send("register");
                String registered = phone.await(l -> l.startsWith("registered "), Duration.ofSeconds(10));
                assertThat(registered).contains(".invalid");

                // a UDP caller reaches the phone's .invalid Contact through the proxy, and hangs up
                Sipp.Result callerHangsUp = caller(udp, Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "alice");
                assertThat(callerHangsUp.successfulCalls()).as(callerHangsUp.describe()).isEqualTo(1);
                phone.await(l -> l.equals("terminated"), Duration.ofSeconds(10));

                // again, and the phone hangs up: its BYE leaves over its connection, along the Record-Route
                Sipp.Running calleeHangsUp = Sipp.scenario(Path.of(getClass().getResource("/sipp/uac-callee-hangs-up.xml").toURI()))
                        .target("127.0.0.1:" + udp).args("-i", "127.0.0.1", "-p", "0", "-s", "alice", "-m", "1")
                        .deadline(Duration.ofSeconds(30)).start();
                seen(phone, "established", 2);
                phone.send("hangup");
                Sipp.Result hungUp = calleeHangsUp.await();
                assertThat(hungUp.successfulCalls()).as(hungUp.describe()).isEqualTo(1);
                seen(phone, "terminated", 2);

                // the phone calls bob, a sipp UAS registered with the sample, who hangs up: the proxy's Record-Route
                // names the phone's connection by a flow token, and bob's BYE comes down it
                int bob = FreePorts.udp();
                Sipp.Result bobRegistered = caller(udp, Sipp.scenario(SamplesIT.resource("register-auth.xml")), "bob",
                        "-key", "uas_port", Integer.toString(bob), "-au", "bob", "-ap", "builder");
                assertThat(bobRegistered.successfulCalls()).as(bobRegistered.describe()).isEqualTo(1);
                Sipp.Running answering = SamplesIT.callee(SamplesIT.resource("uas-hangs-up.xml"), bob, 1);
                phone.send("call sip:bob@127.0.0.1");
                seen(phone, "established", 3);
                seen(phone, "terminated", 3);
                Sipp.Result answered = answering.await();
                assertThat(answered.successfulCalls()).as(answered.describe()).isEqualTo(1);

                phone.send("unregister");
                phone.await(l -> l.equals("unregistered"), Duration.ofSeconds(10));
                // RFC 3261: the registrar's 200 gives each binding's time left, where SIP.js reads when to refresh
                assertThat(registered).as(phone.output()).containsPattern(";expires=\\d+");
            } finally {
                phone.close();
            }
            Sipp.Result gone = caller(udp, Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "alice");
            assertThat(gone.successfulCalls()).as("no binding left after unregister: " + gone.describe()).isEqualTo(1);
            NoCallLeft.assertNoCallLeft(container);
        }
    }

    /** Waits until the phone has printed {@code event} {@code times} times in all. */
    private static void seen(NodeProcess phone, String event, int times) throws InterruptedException {
        Poll.await(Duration.ofSeconds(10), "the phone's " + event + " line number " + times,
                () -> phone.count(event) >= times);
    }

    private static Sipp.Result caller(int port, Sipp sipp, String user, String... args) {
        return sipp.target("127.0.0.1:" + port).args("-i", "127.0.0.1", "-p", "0", "-s", user, "-m", "1", "-d", "200")
                .args(args).deadline(Duration.ofSeconds(30)).run();
    }
}
