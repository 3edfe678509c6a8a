package org.switchboard.testing.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    final ManualScheduler scheduler = new ManualScheduler();
    final List<String> ran = new CopyOnWriteArrayList<>();

    void log(String what) {
        ran.add(what + "@" + scheduler.elapsed().toMillis());
    }

    @Test
    void runsWhatFallsDueInOrderOfDueTimeAtThatTime() {
        scheduler.schedule(() -> log("b"), 20, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> log("a"), 10, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> log("a2"), 10, TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(19));
        assertThat(ran).containsExactly("a@10", "a2@10");
        assertThat(scheduler.elapsed()).isEqualTo(Duration.ofMillis(19));
        assertThat(scheduler.nextDue()).contains(Duration.ofMillis(1));
        scheduler.advance(Duration.ofMillis(1));
        assertThat(ran).containsExactly("a@10", "a2@10", "b@20");
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.nextDue()).isEmpty();
    }

    @Test
    void aTaskScheduledByATaskRunsInTheSameAdvanceWhenItFallsDue() {
        scheduler.schedule(() -> {
            log("first");
            scheduler.schedule(() -> log("second"), 5, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> log("too late"), 50, TimeUnit.MILLISECONDS);
        }, 10, TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(30));
        assertThat(ran).containsExactly("first@10", "second@15");
        assertThat(scheduler.pending()).isOne();
    }

    @Test
    void aCanceledTaskLeavesTheQueueAndNeverRuns() {
        ScheduledFuture<?> f = scheduler.schedule(() -> log("canceled"), 10, TimeUnit.MILLISECONDS);
        assertThat(f.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(10);
        assertThat(f.cancel(false)).isTrue();
        assertThat(scheduler.pending()).isZero();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(ran).isEmpty();
    }

    @Test
    void periodicTasksRepeatAtTheirRateOrAfterTheirDelayUntilCanceled() {
        ScheduledFuture<?> rate = scheduler.scheduleAtFixedRate(() -> log("r"), 0, 30, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> log("d"), 40, 40, TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(90));
        assertThat(ran).containsExactly("r@0", "r@30", "d@40", "r@60", "d@80", "r@90");
        rate.cancel(false);
        assertThat(scheduler.pending()).isOne();
    }

    @Test
    void executeRunsAtTheNextAdvanceAndShutdownRefusesNewWork() {
        scheduler.execute(() -> log("now"));
        assertThat(ran).isEmpty();
        scheduler.runDue();
        assertThat(ran).containsExactly("now@0");
        scheduler.schedule(() -> log("left"), 1, TimeUnit.SECONDS);
        assertThat(scheduler.shutdownNow()).hasSize(1);
        assertThat(scheduler.isTerminated()).isTrue();
        assertThatThrownBy(() -> scheduler.execute(() -> log("refused"))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> scheduler.advance(Duration.ofMillis(-1))).hasMessageContaining("forward");
    }

    @Test
    void aTaskThatThrowsFailsTheAdvanceThatRanIt() {
        scheduler.schedule(() -> {
            throw new IllegalStateException("broken timer");
        }, 10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> scheduler.advance(Duration.ofMillis(10))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("at 10 ms").cause().hasMessage("broken timer");
    }
}
