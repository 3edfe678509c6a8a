package org.switchboard.sip.stack.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerConfigTest {

    @Test
    void transactionTimeoutIsSixtyFourT1() {
        assertEquals(Duration.ofSeconds(32), TimerConfig.DEFAULTS.transactionTimeout());
        assertEquals(Duration.ofMillis(64 * 7), TimerConfig.scaled(Duration.ofMillis(7)).transactionTimeout());
        Duration odd = Duration.ofMillis(3).plusNanos(1);
        assertEquals(odd.multipliedBy(64), TimerConfig.scaled(odd).transactionTimeout(), "sub-millisecond T1 kept exact");
    }
}
