package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/** {@link DrachtioServer} as a {@link org.switchboard.lifecycle.Graceful}: calls under way finish, new ones are refused. */
class GracefulShutdownIT extends ServerTestBase {

    @Test
    void aCallUnderWayFinishesWhileANewInviteIsRefused() throws Exception {
        try (JavaUasApp app = JavaUasApp.connect(server.adminAddress(), 200);
             UdpCaller caller = new UdpCaller(Duration.ofSeconds(5))) {
            Sipp.Running call = Sipp.builtIn("uac").target(TestServers.sipTarget(server))
                    .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1", "-d", "2000")
                    .deadline(Duration.ofSeconds(30)).start();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.registries().dialogs() == 1))
                    .as("the call is answered").isTrue();

            CompletableFuture<Void> drained = server.shutdown();

            assertThat(server.isShutdown()).isTrue();
            assertThat(server.inFlight()).isEqualTo("1 call");
            caller.invite(server, "late-1");
            String refusal = caller.finalResponse();
            assertThat(refusal).startsWith("SIP/2.0 503").contains("Retry-After: " + ServerCore.RETRY_AFTER_SECONDS);
            assertThat(app.answered()).isEqualTo(1);

            Sipp.Result r = call.await();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
            drained.get(10, TimeUnit.SECONDS);
            assertThat(server.inFlight()).isEmpty();
        }
    }
}
