package org.switchboard.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void oneLaneRunsInOrderAndNeverConcurrentlyWhileLanesRunInParallel() throws Exception {
        ExecutorService base = CallbackExecutors.create("test");
        SerialExecutor a = new SerialExecutor(base);
        SerialExecutor b = new SerialExecutor(base);
        List<Integer> seenA = new CopyOnWriteArrayList<>();
        AtomicInteger inA = new AtomicInteger();
        AtomicInteger overlap = new AtomicInteger();
        CountDownLatch bRan = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            a.execute(() -> {
                if (inA.incrementAndGet() > 1) {
                    overlap.incrementAndGet();
                }
                seenA.add(n);
                if (n == 0) {
                    try {
                        // lane b must make progress while lane a is blocked
                        assertThat(bRan.await(5, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                inA.decrementAndGet();
                done.countDown();
            });
        }
        b.execute(bRan::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seenA).isSorted().hasSize(1000);
        assertThat(overlap.get()).isZero();
        a.execute(() -> {
            throw new IllegalStateException("a failing task");
        });
        CountDownLatch after = new CountDownLatch(1);
        a.execute(after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).as("the lane goes on after a failure").isTrue();
        base.shutdown();
    }
}
