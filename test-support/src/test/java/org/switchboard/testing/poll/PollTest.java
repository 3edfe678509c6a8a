package org.switchboard.testing.poll;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void awaitReturnsOnceTheConditionHoldsAndNamesWhatItWaitedForWhenItDoesNot() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Poll.await(Duration.ofSeconds(5), "the third check", () -> checks.incrementAndGet() == 3);
        assertThatThrownBy(() -> Poll.await(Duration.ofMillis(30), "the impossible", () -> false))
                .isInstanceOf(AssertionError.class).hasMessage("waited 30 ms for the impossible, in vain");
    }

    @Test
    void holdsFailsAtTheFirstCheckWhereTheConditionEnds() throws Exception {
        Poll.holds(Duration.ofMillis(30), "quiet", () -> true);
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> Poll.holds(Duration.ofSeconds(5), "silence", () -> checks.incrementAndGet() < 3))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("expected silence for 5000 ms, but it ended after");
    }
}
