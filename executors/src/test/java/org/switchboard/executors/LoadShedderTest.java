package org.switchboard.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.switchboard.executors.LoadShedder.Change;

/** The shedder on an injected clock: every step of time is the test's, nothing sleeps. */
class LoadShedderTest {

    // high 200 ms, low 50 ms, from none to all in 1 s, looked at every 50 ms
    private static final LoadShedder.Settings SETTINGS = new LoadShedder.Settings(Duration.ofMillis(200), Duration.ofMillis(50),
            Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(2));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    // since when the oldest request waits; NOTHING when none does
    private final AtomicLong oldest = new AtomicLong(LoadShedder.Backlog.NOTHING);
    private final LoadShedder shedder = new LoadShedder(SETTINGS, now::get);

    LoadShedderTest() {
        shedder.watch(oldest::get);
    }

    private void waiting(long millis) {
        oldest.set(now.get() - millis * 1_000_000);
    }

    private Change tick() {
        now.addAndGet(SETTINGS.period().toNanos());
        return shedder.evaluate();
    }

    /** Looks while the oldest wait stays {@code millis} old (a standing queue) until the first cut; returns the looks. */
    private int standing(long millis) {
        int looks = 0;
        Change c;
        do {
            waiting(millis);
            admittedOf(3); // calls keep coming
            c = tick();
            looks++;
        } while (c != Change.STARTED && looks < 100);
        return looks;
    }

    /** Watches a backlog whose items never wait and that has lost as many as the returned counter says. */
    private AtomicLong watchLossy() {
        AtomicLong lost = new AtomicLong();
        shedder.watch(new LoadShedder.Backlog() {
            @Override
            public long oldestSince() {
                return NOTHING;
            }

            @Override
            public long lost() {
                return lost.get();
            }
        });
        return lost;
    }

    private int admittedOf(int calls) {
        int taken = 0;
        for (int i = 0; i < calls; i++) {
            if (shedder.admit()) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void takesEveryCallWhileWorkWaitsLessThanTheHighMark() {
        for (long wait : new long[] {0, 10, 60, 150, 199}) {
            waiting(wait);
            assertThat(shedder.evaluate()).isEqualTo(Change.NONE);
        }
        oldest.set(LoadShedder.Backlog.NOTHING);
        assertThat(shedder.evaluate()).isEqualTo(Change.NONE);
        assertThat(shedder.overloaded()).isFalse();
        assertThat(admittedOf(1000)).isEqualTo(1000);
        assertThat(shedder.counters().shed()).isZero();
    }

    @Test
    void aBurstOrAStallShorterThanTheHighMarkIsNoOverload() {
        // the oldest wait over the mark for less than the mark (200 ms): 3 looks, 100 ms
        for (int i = 0; i < 3; i++) {
            waiting(250 + 50L * i);
            assertThat(tick()).isEqualTo(Change.NONE);
        }
        oldest.set(LoadShedder.Backlog.NOTHING);
        assertThat(tick()).isEqualTo(Change.NONE);
        for (int i = 0; i < 3; i++) {
            waiting(250);
            assertThat(tick()).isEqualTo(Change.NONE);
        }
        assertThat(shedder.overloaded()).isFalse();
        assertThat(shedder.counters().episodes()).isZero();
    }

    @Test
    void halvesTheShareOnceTheQueueHasStoodForTheHighMarkThenAtMostOncePerHighMark() {
        // over the mark at the first look, and at each look after: the cut comes a high mark (4 looks) later
        assertThat(standing(300)).isEqualTo(5);
        assertThat(shedder.admittedShare()).isEqualTo(0.5);
        assertThat(admittedOf(100)).isEqualTo(50); // by credit: exactly every other call
        assertThat(shedder.counters().shed()).isEqualTo(50);

        // the requests queued before the cut are still there: no second cut until a high mark (4 looks) later
        for (int i = 0; i < 3; i++) {
            waiting(300);
            assertThat(tick()).isEqualTo(Change.NONE);
        }
        waiting(300);
        assertThat(tick()).isEqualTo(Change.ADJUSTED);
        assertThat(shedder.admittedShare()).isEqualTo(0.25);
        assertThat(shedder.counters().episodes()).isEqualTo(1);
    }

    @Test
    void refusesEverythingOnceTheShareIsTiny() {
        standing(1000);
        long shedBefore = shedder.counters().shed();
        for (int i = 0; i < 40; i++) {
            tick();
            waiting(1000);
        }
        assertThat(shedder.admittedShare()).isZero();
        assertThat(admittedOf(1000)).isZero();
        assertThat(shedder.counters().shed() - shedBefore).isEqualTo(1000);
    }

    @Test
    void holdsTheShareBetweenTheMarksAndGrowsBackOnlyUnderTheLowMark() {
        standing(250);
        waiting(120); // between low and high: neither cut nor growth
        for (int i = 0; i < 20; i++) {
            assertThat(tick()).isEqualTo(Change.NONE);
            waiting(120);
        }
        assertThat(shedder.admittedShare()).isEqualTo(0.5);

        oldest.set(LoadShedder.Backlog.NOTHING);
        // a twentieth of the share per period (1 s / 50 ms): half of it back in 10 periods
        for (int i = 0; i < 9; i++) {
            assertThat(tick()).isEqualTo(Change.ADJUSTED);
        }
        assertThat(shedder.overloaded()).isTrue();
        assertThat(tick()).isEqualTo(Change.OVER);
        assertThat(shedder.overloaded()).isFalse();
        assertThat(admittedOf(100)).isEqualTo(100);
    }

    @Test
    void recoversFromFullSheddingWithinTheRecoveryTime() {
        standing(1000);
        for (int i = 0; i < 40; i++) {
            tick();
            waiting(1000);
        }
        oldest.set(LoadShedder.Backlog.NOTHING);
        long start = now.get();
        while (tick() != Change.OVER) {
            assertThat(now.get() - start).as("back to full admission in time").isLessThanOrEqualTo(SETTINGS.recovery().toNanos());
        }
        assertThat(admittedOf(10)).isEqualTo(10);
    }

    @Test
    void aLaterStandingQueueIsANewEpisode() {
        standing(250);
        oldest.set(LoadShedder.Backlog.NOTHING);
        while (tick() != Change.OVER) {
            // growing back
        }
        assertThat(standing(250)).isEqualTo(5);
        assertThat(shedder.counters().episodes()).isEqualTo(2);
    }

    @Test
    void theOldestOfEveryBacklogCounts() {
        AtomicLong other = new AtomicLong(LoadShedder.Backlog.NOTHING);
        shedder.watch(other::get);
        for (int i = 0; i < 4; i++) {
            waiting(10);
            other.set(now.get() - 300_000_000L);
            admittedOf(4);
            assertThat(tick()).isEqualTo(Change.NONE);
            assertThat(shedder.oldestWait()).isEqualTo(Duration.ofMillis(350)); // 300 ms, and the look's 50 ms
        }
        waiting(10);
        other.set(now.get() - 300_000_000L);
        assertThat(tick()).isEqualTo(Change.STARTED);
    }

    @Test
    void aQueueWithFewNewCallsIsNoLoadToShed() {
        // a cold start or a pause: the oldest wait stands over the mark from the first look, but only 9 calls come
        for (int i = 0; i < 20; i++) {
            waiting(1000);
            if (i >= 1 && i <= 9) {
                admittedOf(1);
            }
            assertThat(tick()).isEqualTo(Change.NONE);
        }
        assertThat(shedder.overloaded()).isFalse();
        admittedOf(1);
        waiting(1000);
        assertThat(tick()).as("the tenth call").isEqualTo(Change.STARTED);
    }

    @Test
    void aBacklogThatLostItemsCutsAtOnceThoughItsWaitsLookShort() {
        AtomicLong lost = watchLossy();
        // waits between the marks: a buffer that filled in a stall and was read again between two looks
        waiting(100);
        admittedOf(12);
        assertThat(tick()).isEqualTo(Change.NONE);
        lost.addAndGet(3);
        waiting(100);
        assertThat(tick()).isEqualTo(Change.STARTED);
        assertThat(shedder.lossSeen()).isTrue();
        assertThat(shedder.admittedShare()).isEqualTo(0.5);

        lost.addAndGet(1); // the next loss within the high mark: the cut before has not shown yet
        admittedOf(20);
        waiting(100);
        assertThat(tick()).isEqualTo(Change.NONE);
        for (int i = 0; i < 2; i++) {
            waiting(100);
            assertThat(tick()).as("no new loss, waits over the low mark: the share holds").isEqualTo(Change.NONE);
        }
        lost.addAndGet(1);
        waiting(100);
        assertThat(tick()).as("a high mark after the cut").isEqualTo(Change.ADJUSTED);
        assertThat(shedder.admittedShare()).isEqualTo(0.25);

        oldest.set(LoadShedder.Backlog.NOTHING);
        for (int i = 0; i < 20; i++) {
            tick();
        }
        assertThat(shedder.lossSeen()).isFalse();
        assertThat(shedder.overloaded()).as("no loss, no wait: all taken again within the recovery time").isFalse();
    }

    @Test
    void aLossWithFewNewCallsIsNoLoadToShed() {
        AtomicLong lost = watchLossy();
        for (int i = 0; i < 8; i++) {
            admittedOf(1); // 9 calls in the high mark before a loss: the buffer was filled by something else
            tick();
        }
        admittedOf(1);
        lost.incrementAndGet();
        assertThat(tick()).isEqualTo(Change.NONE);
        assertThat(shedder.overloaded()).isFalse();
        admittedOf(10);
        lost.incrementAndGet();
        assertThat(tick()).as("ten calls in the last high mark").isEqualTo(Change.STARTED);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new LoadShedder.Settings(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofSeconds(1))).hasMessageContaining("below the high mark");
        assertThatThrownBy(() -> new LoadShedder.Settings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ZERO,
                Duration.ofMillis(50), Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThat(new LoadShedder(SETTINGS, now::get).retryAfterSeconds()).isEqualTo("2");
    }
}
