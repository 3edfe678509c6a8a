package org.switchboard.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineSchedulerTest {

    final ScheduledExecutorService scheduler = DeadlineScheduler.create("deadline-test");

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    @Test
    void runsADeadlineNoEarlierThanDueOnItsNamedDaemonThread() throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        long start = System.nanoTime();
        scheduler.schedule(() -> ran.complete(Thread.currentThread()), 50, TimeUnit.MILLISECONDS);
        Thread thread = ran.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(50);
        assertThat(thread.getName()).isEqualTo("deadline-test");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void aCanceledDeadlineLeavesTheQueueAtOnce() {
        ScheduledFuture<?> deadline = scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
        assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).hasSize(1);
        deadline.cancel(false);
        assertThat(((ScheduledThreadPoolExecutor) scheduler).getQueue()).isEmpty();
    }
}
