package org.switchboard.container.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.time.ManualScheduler;

/** The call watchdog's deadlines on virtual time: the answer timeout and the idle dialog, each counted. */
class CallWatchdogTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger fired = new AtomicInteger();

    private CallWatchdog watchdog(Duration answerTimeout, Duration maxIdle) {
        return new CallWatchdog(scheduler, () -> scheduler.elapsed().toNanos(), answerTimeout, Optional.ofNullable(maxIdle));
    }

    @Test
    void anUnansweredRequestIsAnsweredAtTheAnswerTimeoutAndCounted() {
        CallWatchdog w = watchdog(Duration.ofSeconds(100), null);
        w.answerDeadline(() -> false, fired::incrementAndGet);
        scheduler.advance(Duration.ofMillis(99_999));
        assertThat(fired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(fired).hasValue(1);
        assertThat(w.counts().unanswered()).isEqualTo(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void anAnsweredRequestIsLeftAloneAndNotCounted() {
        CallWatchdog w = watchdog(Duration.ofSeconds(3), null);
        AtomicBoolean answered = new AtomicBoolean();
        w.answerDeadline(answered::get, fired::incrementAndGet);
        answered.set(true);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(fired).hasValue(0);
        assertThat(w.counts().unanswered()).isZero();
    }

    @Test
    void aDialogWithNoActivityEndsAtTheMaximumOnce() {
        CallWatchdog w = watchdog(Duration.ofSeconds(180), Duration.ofSeconds(60));
        w.watch(fired::incrementAndGet);
        scheduler.advance(Duration.ofMillis(59_999));
        assertThat(fired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(fired).hasValue(1);
        scheduler.advance(Duration.ofHours(1));
        assertThat(fired).as("once").hasValue(1);
        assertThat(w.counts().idleDialogsEnded()).isEqualTo(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void activityStartsThePeriodAgainWithoutMovingTheTimerOnEachMessage() {
        CallWatchdog w = watchdog(Duration.ofSeconds(180), Duration.ofSeconds(60));
        CallWatchdog.Activity a = w.watch(fired::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(40));
        a.touch();
        a.touch();
        assertThat(scheduler.pending()).as("one timer, whatever the messages").isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(20)); // 60 s since the start, 20 s since the last message
        assertThat(fired).hasValue(0);
        assertThat(scheduler.nextDue()).contains(Duration.ofSeconds(40));
        scheduler.advance(Duration.ofMillis(39_999));
        assertThat(fired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(fired).as("60 s after the last message").hasValue(1);
    }

    @Test
    void aDialogThatEndsIsNoLongerWatched() {
        CallWatchdog w = watchdog(Duration.ofSeconds(180), Duration.ofSeconds(60));
        CallWatchdog.Activity a = w.watch(fired::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(30));
        a.stop();
        assertThat(scheduler.pending()).isZero();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(fired).hasValue(0);
        assertThat(w.counts().idleDialogsEnded()).isZero();
    }

    @Test
    void withNoMaximumNothingIsScheduled() {
        CallWatchdog w = watchdog(Duration.ofSeconds(180), null);
        CallWatchdog.Activity a = w.watch(fired::incrementAndGet);
        a.touch();
        a.stop();
        assertThat(scheduler.pending()).isZero();
    }
}
