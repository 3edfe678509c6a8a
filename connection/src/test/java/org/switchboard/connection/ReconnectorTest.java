package org.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.time.ManualScheduler;

/** The reconnect schedule on virtual time: every attempt is checked at the millisecond it is due. */
class ReconnectorTest {

    final ManualScheduler timer = new ManualScheduler();
    final Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    final AtomicBoolean succeed = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    final Reconnector reconnector = new Reconnector("peer", backoff, timer, () -> {
        attempts.add(timer.elapsed().toMillis());
        return succeed.get() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IOException("refused"));
    }, closed::get);

    @Test
    void triesWithGrowingDelaysUpToTheCapUntilAnAttemptSucceeds() {
        reconnector.start();
        timer.advance(Duration.ofMillis(19));
        assertThat(attempts).as("nothing before the first delay").isEmpty();
        timer.advance(Duration.ofMillis(1));
        assertThat(attempts).containsExactly(20L);
        timer.advance(Duration.ofMillis(280));
        // 20, then 40, 80, and the cap of 100 ms between attempts
        assertThat(attempts).containsExactly(20L, 60L, 140L, 240L);
        succeed.set(true);
        timer.advance(Duration.ofMillis(100));
        assertThat(attempts).containsExactly(20L, 60L, 140L, 240L, 340L);
        assertThat(timer.pending()).as("no attempt after the one that succeeded").isZero();
    }

    @Test
    void stopsOnceTheOwnerIsClosed() {
        reconnector.start();
        timer.advance(Duration.ofMillis(60));
        assertThat(attempts).containsExactly(20L, 60L);
        closed.set(true);
        timer.advance(Duration.ofMillis(80));
        assertThat(attempts).as("the attempt due at 140 ms, after close").containsExactly(20L, 60L);
        assertThat(timer.pending()).as("nothing more scheduled").isZero();
    }

    @Test
    void aConnectionStartsTheNextOutageOverFromTheFirstDelay() {
        reconnector.start();
        timer.advance(Duration.ofMillis(140));
        assertThat(attempts).containsExactly(20L, 60L, 140L);
        succeed.set(true);
        timer.advance(Duration.ofMillis(100));
        reconnector.connected();

        succeed.set(false);
        reconnector.start();
        timer.advance(Duration.ofMillis(20));
        assertThat(attempts).as("the first delay again, not the fifth").containsExactly(20L, 60L, 140L, 240L, 260L);
    }

    @Test
    void withoutConnectedTheNextOutageGoesOnFromTheLongerDelay() {
        reconnector.start();
        timer.advance(Duration.ofMillis(60));
        succeed.set(true);
        timer.advance(Duration.ofMillis(80));
        assertThat(attempts).containsExactly(20L, 60L, 140L);
        reconnector.start();
        timer.advance(Duration.ofMillis(100));
        assertThat(attempts).as("the fourth delay, capped at 100 ms").containsExactly(20L, 60L, 140L, 240L);
    }
}
