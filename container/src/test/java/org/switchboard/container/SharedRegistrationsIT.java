package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.sipp.Sipp;

/**
 * Two nodes of the registrar-proxy sample, each its own container JVM, sharing their location service in Debian's
 * {@code redis-server}: a REGISTER on one node is found by a call on the other, which forks to the registered
 * contact; before the REGISTER, the call gets 480 (so the binding can only have come through Redis).
 */
@Timeout(120)
class SharedRegistrationsIT {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the logs of a failure stay
    Path dir;

    @BeforeAll
    static void redisInstalled() {
        assumeTrue(RedisServer.installed(), "skipped: no redis-server at " + RedisServer.BINARY
                + " (scripts/install-test-peers installs Debian's package redis-server)");
    }

    @Test
    void aRegisterOnOneNodeIsFoundByACallOnTheOther() throws Exception {
        int aPort = FreePorts.udp();
        int bPort = FreePorts.udp();
        int phone = FreePorts.udp();
        try (RedisServer redis = RedisServer.start(dir);
                ContainerProcess a = ContainerProcess.embedded("a", dir, aPort, "registrar-proxy", Map.of("REGISTRAR_REDIS", redis.uri()));
                ContainerProcess b = ContainerProcess.embedded("b", dir, bPort, "registrar-proxy", Map.of("REGISTRAR_REDIS", redis.uri()))) {
            a.awaitStarted(Duration.ofSeconds(60));
            b.awaitStarted(Duration.ofSeconds(60));

            Sipp.Result before = call(bPort, Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), "-s", "bob", "-m", "1");
            assertThat(before.successfulCalls()).as("nobody registered yet: " + before.describe()).isEqualTo(1);

            Sipp.Result register = call(aPort, Sipp.scenario(SamplesIT.resource("register-auth.xml")), "-s", "bob", "-m", "1",
                    "-key", "uas_port", Integer.toString(phone), "-au", "bob", "-ap", "builder");
            assertThat(register.successfulCalls()).as("registered on a: " + register.describe()).isEqualTo(1);

            Sipp.Running answering = SamplesIT.callee(Interop.path("sipp/uas.xml"), phone, 1);
            Sipp.Result viaB = call(bPort, Sipp.scenario(Interop.path("sipp/uac-proxy.xml")), "-s", "bob", "-m", "1", "-d", "200");
            assertThat(viaB.successfulCalls()).as("b found the contact a registered: " + viaB.describe()).isEqualTo(1);
            assertThat(answering.await().successfulCalls()).isEqualTo(1);
            assertThat(a.log()).contains("registrations shared in Redis at 127.0.0.1");
            assertThat(b.log()).contains("registrations shared in Redis at 127.0.0.1");
        }
    }

    private static Sipp.Result call(int port, Sipp sipp, String... args) {
        return sipp.target("127.0.0.1:" + port).args("-i", "127.0.0.1", "-p", "0").args(args).deadline(Duration.ofSeconds(30)).run();
    }
}
