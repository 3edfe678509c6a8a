package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The sample WARs deployed in a running container on the embedded default, driven by sipp: the UAS, the B2BUA
 * with failover, the registrar with digest authentication and the forking, record-routing proxy; then hot
 * redeploy with calls up, and a broken archive that leaves the previous version serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplesIT {

    @TempDir
    static Path dir;
    static Path deployments;
    static int sipPort;
    static int calleeA;
    static int calleeB;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        TestDeployments set = TestDeployments.in(dir).samples("uas", "b2bua", "registrar-proxy");
        deployments = set.folder();
        sipPort = set.sipPort();
        calleeA = FreePorts.udp();
        calleeB = FreePorts.udp();
        System.setProperty("switchboard.samples.b2bua.targets", "127.0.0.1:" + calleeA + ",127.0.0.1:" + calleeB);
        container = set.start("udp,tcp", "admin.listen", "127.0.0.1:0", "deployments.scan", "200", "deployments.drain", "15");
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    /**
     * Nothing of a test's calls (answered, failed over, canceled, proxied and forked, drained, given up) outlives
     * them: the container's call registry, the drachtio client's call lanes and the embedded server's per-call
     * registries are all empty.
     */
    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        NoCallLeft.assertNoCallLeft(container);
    }

    static Sipp.Result caller(Sipp sipp, String... args) {
        return sipp.target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0").args(args)
                .deadline(Duration.ofSeconds(40)).run();
    }

    static Sipp.Running callee(Path scenario, int port, int calls) throws InterruptedException {
        Sipp.Running running = (scenario == null ? Sipp.builtIn("uas") : Sipp.scenario(scenario))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(40)).start();
        return running.awaitUdpBound(port, Duration.ofSeconds(10));
    }

    static Path resource(String name) throws Exception {
        return Path.of(SamplesIT.class.getResource("/sipp/" + name).toURI());
    }

    @Test
    @Order(1)
    void everySampleIsDeployedWithAMarker() {
        for (String sample : List.of("uas", "b2bua", "registrar-proxy")) {
            assertThat(deployments.resolve(sample + ".war.deployed")).exists();
        }
        assertThat(container.deployer().deployments()).hasSize(3);
    }

    @Test
    @Order(2)
    void uasAnswersCallsWithSdp() {
        Sipp.Result r = caller(Sipp.builtIn("uac"), "-s", "uas", "-m", "20", "-r", "20", "-d", "100");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(20);
        assertThat(r.failedCalls()).isZero();
    }

    @Test
    @Order(3)
    void b2buaFailsOverToTheSecondDestination() throws Exception {
        Sipp.Running first = callee(Interop.path("sipp/uas-404.xml"), calleeA, 1);
        Sipp.Running second = callee(null, calleeB, 1);
        Sipp.Result a = caller(Sipp.builtIn("uac"), "-s", "b2b", "-m", "1", "-d", "200");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        Sipp.Result r1 = first.await();
        assertThat(r1.successfulCalls()).as(r1.describe()).isEqualTo(1);
        Sipp.Result r2 = second.await();
        assertThat(r2.successfulCalls()).as(r2.describe()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void b2buaPassesTheLastFailureAndPropagatesCancel() throws Exception {
        Sipp.Running first = callee(Interop.path("sipp/uas-404.xml"), calleeA, 1);
        Sipp.Running second = callee(Interop.path("sipp/uas-404.xml"), calleeB, 1);
        Sipp.Result a = caller(Sipp.scenario(Interop.path("sipp/uac-expect-404.xml")), "-s", "b2b", "-m", "1");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        assertThat(first.await().successfulCalls()).isEqualTo(1);
        assertThat(second.await().successfulCalls()).isEqualTo(1);

        Sipp.Running ringing = callee(Interop.path("sipp/uas-cancel.xml"), calleeA, 1);
        a = caller(Sipp.scenario(Interop.path("sipp/uac-cancel.xml")), "-s", "b2b", "-m", "1");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        Sipp.Result b = ringing.await();
        assertThat(b.successfulCalls()).as("the B leg was canceled too: " + b.describe()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void registrarAuthenticatesAndTheProxyForksToRegisteredContacts() throws Exception {
        Sipp.Result wrong = caller(Sipp.scenario(resource("register-wrong-password.xml")), "-s", "alice", "-m", "1",
                "-key", "uas_port", Integer.toString(calleeA), "-au", "alice", "-ap", "not-the-password");
        assertThat(wrong.successfulCalls()).as(wrong.describe()).isEqualTo(1);
        Sipp.Result unregistered = caller(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "-s", "alice", "-m", "1");
        assertThat(unregistered.successfulCalls()).as("no binding after a failed REGISTER: " + unregistered.describe()).isEqualTo(1);

        for (int port : new int[] {calleeA, calleeB}) {
            Sipp.Result reg = caller(Sipp.scenario(resource("register-auth.xml")), "-s", "alice", "-m", "1",
                    "-key", "uas_port", Integer.toString(port), "-au", "alice", "-ap", "wonderland");
            assertThat(reg.successfulCalls()).as(reg.describe()).isEqualTo(1);
        }
        // one contact rings until canceled, the other answers: the proxy forks to both and cancels the loser
        Sipp.Running ringing = callee(Interop.path("sipp/uas-cancel.xml"), calleeA, 1);
        Sipp.Running answering = callee(Interop.path("sipp/uas.xml"), calleeB, 1);
        // the caller follows the Record-Route set: ACK and BYE pass through the proxy
        Sipp.Result a = caller(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-s", "alice", "-m", "1", "-d", "200");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        Sipp.Result loser = ringing.await();
        assertThat(loser.successfulCalls()).as("the ringing contact got the INVITE, then CANCEL: " + loser.describe()).isEqualTo(1);
        assertThat(answering.await().successfulCalls()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void hotRedeployDrainsCallsInProgress() throws Exception {
        Sipp.Running longCalls = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "5", "-r", "10", "-d", "4000")
                .deadline(Duration.ofSeconds(40)).start();
        Poll.await(Duration.ofSeconds(10), "the five long calls in progress", () -> container.sip().calls() == 5);
        String before = uasVersion();
        Path war = deployments.resolve("uas.war");
        Files.copy(Path.of("target/samples/sample-uas.war"), war, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(war, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        Poll.until(Duration.ofSeconds(10), () -> !uasVersion().equals(before));
        assertThat(uasVersion()).as("redeployed").isNotEqualTo(before);
        Sipp.Result fresh = caller(Sipp.builtIn("uac"), "-s", "uas", "-m", "5", "-r", "10", "-d", "100");
        assertThat(fresh.successfulCalls()).as("new calls on the new version: " + fresh.describe()).isEqualTo(5);
        Sipp.Result old = longCalls.await();
        assertThat(old.successfulCalls()).as("calls in progress finished on the old version: " + old.describe()).isEqualTo(5);
        assertThat(old.failedCalls()).isZero();
    }

    @Test
    @Order(7)
    void aBrokenArchiveFailsAndThePreviousVersionKeepsServing() throws Exception {
        String before = uasVersion();
        Path war = deployments.resolve("uas.war");
        Files.writeString(war, "not a zip archive");
        Path failed = deployments.resolve("uas.war.failed");
        Poll.until(Duration.ofSeconds(10), () -> Files.exists(failed));
        assertThat(failed).exists();
        assertThat(Files.readString(failed)).isNotBlank();
        assertThat(uasVersion()).isEqualTo(before);
        Sipp.Result r = caller(Sipp.builtIn("uac"), "-s", "uas", "-m", "3", "-r", "10", "-d", "100");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(3);
    }

    @Test
    @Order(8)
    void removingAnArchiveUndeploysIt() throws Exception {
        Files.delete(deployments.resolve("uas.war"));
        Poll.until(Duration.ofSeconds(10), () -> Files.exists(deployments.resolve("uas.war.undeployed")));
        assertThat(deployments.resolve("uas.war.undeployed")).exists();
        assertThat(container.deployer().deployments()).noneMatch(d -> d.startsWith("uas#"));
    }

    @Test
    @Order(9)
    void b2buaGivesUpADestinationThatDoesNotRespond() throws Exception {
        // last, because the dead destination's INVITE keeps being retransmitted to its port until Timer B
        Sipp.Running second = callee(null, calleeB, 1);
        long started = System.nanoTime();
        Sipp.Result a = caller(Sipp.builtIn("uac"), "-s", "b2b", "-m", "1", "-d", "200");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(second.await().successfulCalls()).isEqualTo(1);
    }

    private static String uasVersion() {
        return container.deployer().deployments().stream().filter(d -> d.startsWith("uas#")).findFirst().orElse("");
    }
}
