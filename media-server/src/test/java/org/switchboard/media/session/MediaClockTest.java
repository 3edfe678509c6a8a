package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.poll.Poll;

/** The clock's phases: tasks spread over the period, each run once per 20 ms at a steady moment. */
class MediaClockTest {

    @Test
    void tasksAreSpreadOverThePhasesAndEachRunsOncePerPeriod() throws Exception {
        int tasks = 2 * MediaClock.PHASES;
        List<ConcurrentLinkedQueue<Long>> runs = new ArrayList<>();
        List<AutoCloseable> handles = new ArrayList<>();
        try (MediaClock clock = MediaClock.start()) {
            for (int i = 0; i < tasks; i++) {
                ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
                runs.add(times);
                handles.add(clock.register(() -> times.add(System.nanoTime())));
            }
            assertThat(clock.taskCount()).isEqualTo(tasks);
            // warm-up until the clock is on time (one that fell behind runs what it missed back to back, which would
            // blur the count): every task has run once for each period since they were registered, but for the
            // period in progress and the phase a task may have joined too late for
            long registered = System.nanoTime();
            Poll.await(Duration.ofSeconds(10), "every task run once a period", () -> {
                long periods = (System.nanoTime() - registered) / MediaClock.TICK_NANOS;
                return periods >= 10 && runs.stream().allMatch(r -> r.size() >= periods - 2);
            });
            int[] before = runs.stream().mapToInt(ConcurrentLinkedQueue::size).toArray();
            long t0 = System.nanoTime();
            Thread.sleep(1000); // a measuring window, not a wait: the runs counted over it are the result
            int[] after = runs.stream().mapToInt(ConcurrentLinkedQueue::size).toArray();
            long periods = (System.nanoTime() - t0) / MediaClock.TICK_NANOS;
            for (AutoCloseable h : handles) {
                h.close();
            }
            assertThat(clock.taskCount()).isZero();
            for (int i = 0; i < tasks; i++) {
                assertThat(after[i] - before[i]).as("runs of task %d in %d periods", i, periods)
                        .isBetween((int) (periods * 0.8), (int) periods + 2);
            }
        }
        // tasks registered one after the other land in different phases: their moments within the period differ.
        // Seen in the period that ran most on time: a loaded machine delays some periods, and a late clock runs
        // the phases it missed back to back, which blurs their moments in that period only.
        List<List<Long>> moments = runs.stream().map(List::copyOf).toList();
        int periodsSeen = moments.stream().mapToInt(List::size).min().orElseThrow();
        long phaseNanos = MediaClock.TICK_NANOS / MediaClock.PHASES;
        long distinctPhases = 0;
        for (int period = 0; period < periodsSeen; period++) {
            long first = moments.get(0).get(period);
            int k = period;
            distinctPhases = Math.max(distinctPhases, moments.stream()
                    .map(m -> Math.floorMod(m.get(k) - first, MediaClock.TICK_NANOS) / phaseNanos).distinct().count());
        }
        assertThat(distinctPhases).as("phases in use").isGreaterThanOrEqualTo(MediaClock.PHASES / 2);
    }

    @Test
    void twoThreadsShareThePhasesAndEachTaskKeepsItsThread() throws Exception {
        int tasks = 2 * MediaClock.PHASES;
        List<ConcurrentLinkedQueue<String>> threads = new ArrayList<>();
        List<AutoCloseable> handles = new ArrayList<>();
        try (MediaClock clock = MediaClock.start(0, MediaMeters.none(), 2)) {
            assertThat(clock.threads()).isEqualTo(2);
            for (int i = 0; i < tasks; i++) {
                ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
                threads.add(seen);
                handles.add(clock.register(() -> {
                    seen.add(Thread.currentThread().getName());
                    clock.sendInterval(MediaClock.TICK_NANOS + 150_000); // counted by the lane: bucket 1
                }));
            }
            Poll.await(Duration.ofSeconds(10), "every task run 20 times",
                    () -> threads.stream().allMatch(t -> t.size() >= 20));
            for (AutoCloseable h : handles) {
                h.close();
            }
            long[] histogram = clock.sendIntervalErrorHistogram();
            assertThat(histogram[1]).as("intervals counted by both threads").isGreaterThanOrEqualTo(20L * tasks);
            assertThat(java.util.Arrays.stream(histogram).sum()).isEqualTo(histogram[1]);
        }
        // a task is run by one thread for good (its phase belongs to that thread), and both threads have tasks
        List<java.util.Set<String>> names = threads.stream().map(java.util.Set::copyOf).toList();
        assertThat(names).allSatisfy(n -> assertThat(n).hasSize(1));
        assertThat(names.stream().flatMap(java.util.Set::stream).distinct().sorted().toList())
                .containsExactly("media-clock-0", "media-clock-1");
    }
}
