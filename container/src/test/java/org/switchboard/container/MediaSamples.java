package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.container.sip.Application;
import org.switchboard.testing.poll.Poll;

/**
 * The container the media sample tests call: the IVR and conference samples on the embedded media server (what
 * {@code ./switchboard run --samples} serves), and that media server seen by its API commands.
 */
final class MediaSamples {

    private static final Pattern TOTAL = Pattern.compile("(\\d+) total\\.");

    private MediaSamples() {
    }

    /** Starts a container with the {@code ivr} and {@code conference} samples deployed in {@code deployments}. */
    static Container start(TestDeployments deployments) throws Exception {
        Container container = deployments.samples("ivr", "conference")
                .start("udp", "admin.listen", "127.0.0.1:0", "media.mode", "embedded");
        assertThat(Poll.until(Duration.ofSeconds(20), () -> container.deployer().deployments().size() == 2)).isTrue();
        return container;
    }

    /** Runs an API command on the container's media server, as an application would (this one observes nothing). */
    static String api(Container container, String command) {
        Application none = Application.observingNothing("test");
        try {
            return container.sip().media().servers(none).select().api(command).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during api " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("api " + command + ": " + e, e);
        }
    }

    /** Nothing of a test's calls outlives them: no call in the container, the client or the server, no media channel. */
    static void assertNothingLeft(Container container) throws InterruptedException {
        NoCallLeft.assertNoCallLeft(container);
        boolean noChannel = Poll.until(Duration.ofSeconds(5), () -> channels(container) == 0);
        assertThat(noChannel).as("media channels: %s", api(container, "show channels")).isTrue();
        assertThat(container.embeddedMediaServer().orElseThrow().channelCount()).isZero();
    }

    private static int channels(Container container) {
        Matcher m = TOTAL.matcher(api(container, "show channels"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
