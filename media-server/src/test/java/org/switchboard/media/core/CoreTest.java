package org.switchboard.media.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;

/** The headers every event carries. */
class CoreTest {

    final Core core = new Core("127.0.0.1", Map.of());

    @Test
    void theDateHeadersAreTheTimestampsSecondLocallyAndInGmt() {
        for (int i = 0; i < 3; i++) {
            EslEvent e = core.event("HEARTBEAT", "f", "g", 1).build();
            long micros = Long.parseLong(e.header("Event-Date-Timestamp").orElseThrow());
            Instant at = Instant.ofEpochSecond(micros / 1_000_000);
            assertThat(e.header("Event-Date-GMT")).contains(DateTimeFormatter
                    .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).format(at.atZone(ZoneOffset.UTC)));
            assertThat(e.header("Event-Date-Local")).contains(DateTimeFormatter
                    .ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).format(at.atZone(ZoneId.systemDefault())));
        }
    }
}
