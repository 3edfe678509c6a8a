package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.testing.poll.Poll;

/** A lane delivers every batch once, in order, one at a time, whether its task lingers, ends or races an offer. */
class EventLaneTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 2_000, 50_000})
    void everyBatchOnceInOrderOneAtATime(long lingerNanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicBoolean lingering = new AtomicBoolean();
            List<List<Integer>> seen = new ArrayList<>();
            List<EventLane<Integer>> lanes = new ArrayList<>();
            AtomicInteger overlaps = new AtomicInteger();
            for (int l = 0; l < 3; l++) {
                AtomicInteger running = new AtomicInteger();
                List<Integer> mine = new ArrayList<>();
                seen.add(mine);
                lanes.add(new EventLane<>(new SerialExecutor(pool), n -> {
                    if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    synchronized (mine) {
                        mine.add(n);
                    }
                    running.decrementAndGet();
                }, lingering, lingerNanos));
            }
            Random random = new Random(lingerNanos);
            int count = 60_000;
            for (int i = 0; i < count; i++) {
                lanes.get(i % 3).offer(i);
                if (random.nextInt(500) == 0) {
                    // deliberate pacing, not a wait: gaps let lanes run dry, linger and end while events still come
                    Thread.sleep(0, random.nextInt(200_000));
                }
            }
            Poll.await(Duration.ofSeconds(30), count + " events through the lanes", () -> seen.stream().mapToInt(s -> {
                synchronized (s) {
                    return s.size();
                }
            }).sum() >= count);
            for (int l = 0; l < 3; l++) {
                List<Integer> mine = seen.get(l);
                synchronized (mine) {
                    assertThat(mine).hasSize(count / 3).isSorted().doesNotHaveDuplicates();
                    int lane = l;
                    assertThat(mine).allMatch(n -> n % 3 == lane);
                }
            }
            assertThat(overlaps).hasValue(0);
        } finally {
            pool.shutdownNow();
        }
    }
}
