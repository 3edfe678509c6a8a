package org.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.executors.DeadlineScheduler;

class ReconnectorTest {

    final ScheduledExecutorService timer = DeadlineScheduler.create("reconnect-test");
    final Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofSeconds(1));
    final List<Long> attempts = new CopyOnWriteArrayList<>();
    final AtomicBoolean succeed = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    final Reconnector reconnector = new Reconnector("peer", backoff, timer, () -> {
        attempts.add(System.nanoTime());
        return succeed.get() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IOException("refused"));
    }, closed::get);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void triesWithGrowingDelaysUntilAnAttemptSucceeds() throws Exception {
        long lost = System.nanoTime();
        reconnector.start();
        while (attempts.size() < 3) {
            Thread.sleep(5);
        }
        succeed.set(true);
        Thread.sleep(600);
        assertThat(attempts).as("no attempt after the one that succeeded").hasSize(4);
        // 20 + 40 + 80 + 160 ms at least before the fourth attempt
        assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(3) - lost)).isGreaterThanOrEqualTo(295);
    }

    @Test
    void stopsOnceTheOwnerIsClosedAndStartsOverFromTheFirstDelayAfterAConnection() throws Exception {
        reconnector.start();
        Thread.sleep(200); // attempts at about 20, 60 and 140 ms; the next one would come at 300 ms
        closed.set(true);
        int seen = attempts.size();
        assertThat(seen).isBetween(2, 3);
        Thread.sleep(300);
        assertThat(attempts).as("attempts after close").hasSize(seen);

        closed.set(false);
        succeed.set(true);
        reconnector.connected();
        long t0 = System.nanoTime();
        reconnector.start();
        while (attempts.size() == seen) {
            Thread.sleep(2);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(seen) - t0))
                .as("the first delay again, not the fifth").isLessThan(200);
    }
}
