package org.switchboard.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallbackExecutorsTest {

    @Test
    void shuttingOneExecutorDownRefusesItsTasksAndWaitsForItsRunningOnesOnly() throws Exception {
        ExecutorService a = CallbackExecutors.create("a");
        ExecutorService b = CallbackExecutors.create("b");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        a.execute(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        a.shutdown();
        assertThat(a.isShutdown()).isTrue();
        assertThatThrownBy(() -> a.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(a.awaitTermination(50, TimeUnit.MILLISECONDS)).as("a task of a still runs").isFalse();
        assertThat(a.isTerminated()).isFalse();

        CountDownLatch ranOnB = new CountDownLatch(1);
        b.execute(ranOnB::countDown);
        assertThat(ranOnB.await(5, TimeUnit.SECONDS)).as("b is not shut down with a").isTrue();

        release.countDown();
        assertThat(a.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(a.isTerminated()).isTrue();
        b.shutdown();
    }

    @Test
    void beforeJava21ManyExecutorsShareAFewThreads() throws Exception {
        assumeTrue(Runtime.version().feature() < 21, "Java 21+ runs each task on a virtual thread of its own");
        Set<Thread> threads = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            ExecutorService e = CallbackExecutors.create("session-" + i);
            Thread[] ran = new Thread[1];
            CountDownLatch done = new CountDownLatch(1);
            e.execute(() -> {
                ran[0] = Thread.currentThread();
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            threads.add(ran[0]);
            e.shutdown();
        }
        // one task at a time: an idle pooled thread takes the next one (a pool per executor made 500)
        assertThat(threads).hasSizeLessThan(10);
    }
}
