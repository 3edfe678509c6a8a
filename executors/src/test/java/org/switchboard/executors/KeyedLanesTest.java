package org.switchboard.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {

    @Test
    void tasksOfOneKeyRunInOrderAndTheLaneGoesWhenIdle() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            KeyedLanes<String> lanes = new KeyedLanes<>(pool);
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            int keys = 50;
            int perKey = 200;
            CountDownLatch done = new CountDownLatch(keys * perKey);
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    String key = "call-" + k;
                    int n = i;
                    lanes.execute(key, () -> {
                        seen.computeIfAbsent(key, x -> Collections.synchronizedList(new ArrayList<>())).add(n);
                        done.countDown();
                    });
                }
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("all tasks ran").isTrue();
            for (List<Integer> order : seen.values()) {
                assertThat(order).isSorted().hasSize(perKey);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(lanes.size()).as("lanes left after every task finished").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskSubmittedWhileItsKeyIsBusyWaitsForTheRunningOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            KeyedLanes<String> lanes = new KeyedLanes<>(pool);
            CountDownLatch release = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch second = new CountDownLatch(1);
            lanes.execute("a", () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add("first");
            });
            lanes.execute("a", () -> {
                order.add("second");
                second.countDown();
            });
            assertThat(lanes.size()).isEqualTo(1);
            release.countDown();
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("first", "second");
        } finally {
            pool.shutdownNow();
        }
    }
}
