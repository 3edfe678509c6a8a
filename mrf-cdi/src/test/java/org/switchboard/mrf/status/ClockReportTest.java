package org.switchboard.mrf.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClockReportTest {

    @Test
    void readsTheTasksAndTheNonZeroBuckets() {
        ClockReport r = ClockReport.parse("tasks 12\nsend_interval_error_100us 0:900 3:99 1000:1\n");
        assertThat(r.tasks()).isEqualTo(12);
        assertThat(r.count(0)).isEqualTo(900);
        assertThat(r.count(3)).isEqualTo(99);
        assertThat(r.count(1000)).isEqualTo(1);
        assertThat(r.count(1)).isZero();
        assertThat(ClockReport.parse("tasks 0\nsend_interval_error_100us\n").sinceStart()).isEmpty();
    }

    @Test
    void theLatenessOfASpanIsTheDifferenceOfItsTwoReportsAtTheBucketsUpperEdges() {
        ClockReport start = ClockReport.parse("tasks 1\nsend_interval_error_100us 0:5000 1:10\n");
        // in the span: 60 packets within 0.1 ms, 39 at 0.2-0.3 ms, 1 at 4.5 ms
        ClockReport end = ClockReport.parse("tasks 1\nsend_interval_error_100us 0:5060 1:10 2:39 45:1\n");
        assertThat(end.since(start)).contains(new Lateness(100, 0.1, 0.3, 4.6));
        assertThat(end.since(end)).as("no packet sent in between").isEmpty();
        assertThat(end.sinceStart()).as("99 % within 0.1 ms").contains(new Lateness(5110, 0.1, 0.1, 4.6));
    }

    @Test
    void theLastBucketIsAHundredMillisecondsOrMore() {
        ClockReport start = ClockReport.parse("tasks 1\nsend_interval_error_100us\n");
        ClockReport end = ClockReport.parse("tasks 1\nsend_interval_error_100us 1000:2\n");
        assertThat(end.since(start)).contains(new Lateness(2, 100, 100, 100));
    }

    @Test
    void aCountThatWentDownMeansTheServerRestartedAndTheSpanStartsWithIt() {
        ClockReport before = ClockReport.parse("tasks 4\nsend_interval_error_100us 0:100000 9:7\n");
        ClockReport after = ClockReport.parse("tasks 1\nsend_interval_error_100us 0:49 9:7 19:1\n");
        assertThat(after.since(before)).contains(new Lateness(57, 0.1, 2.0, 2.0));
    }

    @Test
    void refusesWhatIsNotAReport() {
        assertThatThrownBy(() -> ClockReport.parse("-ERR switchboard_media_clock Command not found!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a media clock report");
        assertThatThrownBy(() -> ClockReport.parse("tasks 1\nsend_interval_error_100us 1001:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001:1");
        assertThatThrownBy(() -> ClockReport.parse("tasks x\nsend_interval_error_100us"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
    }
}
