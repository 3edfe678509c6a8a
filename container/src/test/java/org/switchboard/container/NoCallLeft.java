package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.testing.poll.Poll;

/**
 * What every container test checks once its calls have ended: nothing of them (answered, failed over, canceled,
 * proxied, drained, given up; the container's own calls to media servers included) is left in the container's call
 * registry, the drachtio client's call lanes or the embedded server's per-call registries.
 */
final class NoCallLeft {

    private NoCallLeft() {
    }

    static void assertNoCallLeft(Container container) throws InterruptedException {
        assertNoCallLeft(container, () -> true, () -> "");
    }

    /** The same, waiting also for {@code alsoDone}, whose state {@code alsoState} describes when it is not. */
    static void assertNoCallLeft(Container container, BooleanSupplier alsoDone, Supplier<String> alsoState)
            throws InterruptedException {
        DrachtioServer server = container.embeddedServer().orElseThrow();
        var client = container.drachtioClient().orElseThrow();
        boolean idle = Poll.until(Duration.ofSeconds(40), () -> alsoDone.getAsBoolean() && container.sip().isIdle()
                && client.busyCalls() == 0 && server.holdsNoCall());
        assertThat(idle).as("%scontainer: %s; client: %d call lanes; server: %s", alsoState.get(), container.sip().stats(),
                client.busyCalls(), server.perCallState()).isTrue();
    }
}
