package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * {@code @CallScoped} in a deployed application ({@code org.switchboard.testapps.callscope}): one instance per
 * call, seen by the INVITE's observer and every dialog event of the call (and of a B2BUA's B leg), a new one for
 * another call at the same time, destroyed once the call has ended however it ended (BYE, CANCEL, a rejection,
 * the answer timeout), and not active off the call's lane. After each test no instance is left and the
 * container's per-call registries are empty.
 */
class CallScopeIT {

    @TempDir
    static Path dir;
    static int sipPort;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("callscope.")).forEach(System::clearProperty);
        TestDeployments deployments = TestDeployments.in(dir).invitesTo("callscope", "org.switchboard.testapps.callscope");
        sipPort = deployments.sipPort();
        container = deployments.start("udp", "admin.listen", "127.0.0.1:0", "answer.timeout", "2");
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    /** Every instance made was destroyed, and nothing of the calls is left in the container or the server. */
    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        NoCallLeft.assertNoCallLeft(container, () -> "0".equals(System.getProperty("callscope.live")),
                () -> "live @CallScoped instances: " + System.getProperty("callscope.live") + "; ");
    }

    static Sipp.Result call(Sipp sipp, String... args) {
        return sipp.target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0").args(args)
                .deadline(Duration.ofSeconds(40)).run();
    }

    static Path own(String name) throws Exception {
        return Path.of(CallScopeIT.class.getResource("/sipp/" + name).toURI());
    }

    /** The reports of the ended instances of {@code user}'s calls: {@code user#instance:what+it+saw}. */
    static List<String> ended(String user, int count) throws InterruptedException {
        Poll.until(Duration.ofSeconds(10), () -> ofUser(user).size() >= count);
        return ofUser(user);
    }

    private static List<String> ofUser(String user) {
        String all = System.getProperty("callscope.ended", "");
        return Arrays.stream(all.split(",")).filter(r -> r.startsWith(user + "#")).toList();
    }

    private static String seen(String report) {
        return report.substring(report.indexOf(':') + 1);
    }

    @Test
    void theInviteAndTheRequestsInItsDialogSeeOneInstanceDestroyedAfterTheBye() throws Exception {
        Sipp.Result r = call(Sipp.scenario(Interop.path("switchboard-sipp/uac-reinvite-info.xml")), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        List<String> ended = ended("service", 1);
        assertThat(ended).hasSize(1);
        assertThat(seen(ended.get(0))).isEqualTo("INVITE+ACK+MODIFY+ACK+INFO+DESTROY");
        Poll.await(Duration.ofSeconds(5), "the off-lane use reported", () -> System.getProperty("callscope.outside") != null);
        assertThat(System.getProperty("callscope.outside").split(",")).as("every call's use off its lane")
                .containsOnly("ContextNotActiveException");
    }

    @Test
    void twoCallsAtTheSameTimeHaveAnInstanceEach() throws Exception {
        Sipp.Result r = call(Sipp.builtIn("uac"), "-s", "scope-two", "-m", "2", "-l", "2", "-r", "20", "-d", "1000");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
        List<String> ended = ended("scope-two", 2);
        assertThat(ended).hasSize(2);
        assertThat(ended).allSatisfy(report -> assertThat(seen(report)).isEqualTo("INVITE+ACK+DESTROY"));
        assertThat(ended.get(0).substring(0, ended.get(0).indexOf(':')))
                .isNotEqualTo(ended.get(1).substring(0, ended.get(1).indexOf(':')));
    }

    @Test
    void aRejectedCallsInstanceIsDestroyed() throws Exception {
        Sipp.Result r = call(Sipp.scenario(own("invite-reject-expect-403.xml")), "-s", "scope-reject", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(ended("scope-reject", 1)).singleElement().satisfies(report -> assertThat(seen(report)).isEqualTo("INVITE"));
    }

    @Test
    void aCanceledCallsInstanceIsDestroyed() throws Exception {
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-s", "scope-ring", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(ended("scope-ring", 1)).singleElement().satisfies(report -> assertThat(seen(report)).isEqualTo("INVITE"));
    }

    @Test
    void aCallNobodyAnswersIsDestroyedAfterTheAnswerTimeout() throws Exception {
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "-s", "scope-silent", "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(ended("scope-silent", 1)).singleElement().satisfies(report -> assertThat(seen(report)).isEqualTo("INVITE"));
    }

    @Test
    void aB2buasBLegSharesTheCallersInstance() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = Sipp.scenario(own("uas-update-refer-notify.xml"))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1").deadline(Duration.ofSeconds(40)).start()
                .awaitUdpBound(port, Duration.ofSeconds(10));
        Sipp.Result a = call(Sipp.builtIn("uac"), "-s", "scope-b2bua-" + port, "-m", "1", "-d", "1500");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        String seen = seen(ended("scope-b2bua-" + port, 1).get(0));
        assertThat(seen.split("\\+")).as(seen).containsExactlyInAnyOrder("INVITE", "ACK", "UPDATE", "REFER", "NOTIFY", "DESTROY");
        assertThat(seen).startsWith("INVITE+").endsWith("+DESTROY");
        assertThat(ofUser("scope-b2bua-" + port)).hasSize(1);
    }
}
