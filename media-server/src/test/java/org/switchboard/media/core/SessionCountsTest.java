package org.switchboard.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionCountsTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final SessionCounts counts = new SessionCounts(now::get);

    @Test
    void countsPerSecondAndPeaksOverFiveMinutesAndEver() {
        counts.created(1);
        counts.created(2);
        counts.created(3);
        now.addAndGet(1000);
        counts.created(2);
        assertThat(counts.snapshot(2)).containsEntry("last", 1L).containsEntry("rateMax", 3L)
                .containsEntry("rateFiveMin", 3L).containsEntry("peakMax", 3L).containsEntry("peakFiveMin", 3L);
        assertThat(counts.total()).isEqualTo(4);

        now.addAndGet(301_000); // all of that is more than five minutes ago
        counts.created(1);
        assertThat(counts.snapshot(1)).containsEntry("last", 1L).containsEntry("rateMax", 3L)
                .containsEntry("rateFiveMin", 1L).containsEntry("peakMax", 3L).containsEntry("peakFiveMin", 1L);
        assertThat(counts.snapshot(7)).as("the channels up now count as a peak").containsEntry("peakFiveMin", 7L)
                .containsEntry("peakMax", 7L);
    }

    @Test
    void readingCostsTheSameAtAnyRate() {
        for (int i = 0; i < 200_000; i++) {
            if (i % 500 == 0) {
                now.addAndGet(1000);
            }
            counts.created(10);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            counts.snapshot(10);
        }
        assertThat(counts.snapshot(10)).containsEntry("rateFiveMin", 500L);
        // the old event list scanned every creation of five minutes for every one of them: 150,000² steps here
        assertThat((System.nanoTime() - t0) / 100).as("ns per snapshot").isLessThan(5_000_000);
    }
}
