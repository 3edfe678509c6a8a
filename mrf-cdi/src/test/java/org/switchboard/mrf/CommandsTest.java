package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.media.MediaException;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CommandsTest {

    final ExecutorService lane = Executors.newSingleThreadExecutor(r -> new Thread(r, "lane"));
    final ScheduledExecutorService timers = DeadlineScheduler.create("test-deadlines");

    @AfterEach
    void stop() {
        lane.shutdownNow();
        timers.shutdownNow();
    }

    Commands commands(Duration deadline) {
        return new Commands(lane, timers, deadline);
    }

    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void completesWithTheResultOnTheLane() throws Exception {
        CompletableFuture<String> step = new CompletableFuture<>();
        CompletableFuture<String> op = commands(Duration.ofSeconds(5)).run("op", () -> step, e -> new MediaException("failed", e));
        // waited for through a dependent only: a thread blocked in op.get() may itself run op's dependents
        CompletableFuture<String> seen = op.thenApply(v -> v + " on " + Thread.currentThread().getName());

        step.complete("x");

        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("x on lane");
    }

    @Test
    void theDeadlineFailsAStepThatNeverCompletesAndNamesTheOperation() throws Exception {
        CompletableFuture<String> op = commands(Duration.ofMillis(50)).run("play x on 1", CompletableFuture::new,
                e -> new MediaException("failed", e));

        assertThat(failure(op)).isInstanceOf(MediaException.Timeout.class).hasMessage("play x on 1: not completed within 50 ms");
    }

    @Test
    void aFailingStepFailsAsTheCallerMapsIt() throws Exception {
        CompletableFuture<String> op = commands(Duration.ofSeconds(5)).run("op",
                () -> CompletableFuture.failedFuture(new IllegalStateException("boom")), e -> new MediaException("mapped", e));

        assertThat(failure(op)).isExactlyInstanceOf(MediaException.class).hasMessage("mapped");
    }

    @Test
    void theEndFailsPendingOperationsAndEveryLaterOne() throws Exception {
        Commands commands = commands(Duration.ofSeconds(5));
        CompletableFuture<String> pending = commands.run("play a", CompletableFuture::new, e -> new MediaException("x", e));
        assertThat(commands.size()).isEqualTo(1);

        commands.failAll(op -> Events.hungUp(op, "NORMAL_CLEARING"));

        assertThat(failure(pending)).isInstanceOf(MediaException.HungUp.class)
                .hasMessage("play a: the channel hung up (NORMAL_CLEARING)");
        CompletableFuture<String> later = commands.run("play b", () -> {
            throw new AssertionError("not sent after the end");
        }, e -> new MediaException("x", e));
        assertThat(failure(later)).isInstanceOf(MediaException.HungUp.class).hasMessageStartingWith("play b");
        assertThat(commands.size()).isZero();
    }
}
