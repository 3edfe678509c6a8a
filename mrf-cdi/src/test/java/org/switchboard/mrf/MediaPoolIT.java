package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.mrf.TestSwitch.await;
import static org.switchboard.mrf.TestSwitch.failureWithin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.media.PlayResult;
import org.switchboard.testing.poll.Poll;

/** A pool of two embedded media servers: the least loaded takes the endpoint; when one is lost, the other takes the new ones. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MediaPoolIT {

    @TempDir
    Path folder;

    private static boolean holds(MediaServer server, Endpoint endpoint) throws Exception {
        return await(server.api("uuid_exists " + endpoint.uuid())).strip().equals("true");
    }

    @Test
    void endpointsGoToTheLeastLoadedServerAndALostServerFailsItsWorkAtOnceWhileTheOtherTakesTheNewOnes() throws Exception {
        try (TestSwitch a = TestSwitch.start(folder.resolve("a"), 44000);
             TestSwitch b = TestSwitch.start(folder.resolve("b"), 45000)) {
            MediaServers pool = Mrf.pool(List.of(a.media, b.media), a.uac);

            Endpoint first = await(pool.createEndpoint(EndpointOptions.NONE));
            assertThat(holds(a.media, first)).as("equal load: the first server in order").isTrue();
            assertThat(Poll.until(Duration.ofSeconds(5), () -> a.media.load().currentSessions() == 1)).isTrue();
            Endpoint second = await(pool.createEndpoint(EndpointOptions.NONE));
            assertThat(holds(b.media, second)).as("the less loaded server").isTrue();

            CompletableFuture<Void> started = new CompletableFuture<>();
            first.onEvent(e -> {
                if (e.name().equals("PLAYBACK_START")) {
                    started.complete(null);
                }
            });
            CompletionStage<PlayResult> playing = first.play(List.of("prompt.wav", "prompt.wav", "prompt.wav", "prompt.wav"));
            started.get(5, TimeUnit.SECONDS);
            long lost = System.nanoTime();
            a.server.close();
            Throwable failure = failureWithin(playing, 2000);
            assertThat(failure).isInstanceOfAny(MediaException.ConnectionLost.class, MediaException.HungUp.class);
            assertThat(Duration.ofNanos(System.nanoTime() - lost)).isLessThan(Duration.ofSeconds(2));

            assertThat(Poll.until(Duration.ofSeconds(5), () -> !a.media.isConnected())).isTrue();
            assertThat(pool.select()).isSameAs(b.media);
            Endpoint third = await(pool.createEndpoint(EndpointOptions.NONE));
            assertThat(holds(b.media, third)).isTrue();
            await(second.destroy());
            await(third.destroy());
        }
    }
}
