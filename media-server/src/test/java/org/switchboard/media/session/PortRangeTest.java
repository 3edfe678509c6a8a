package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortRangeTest {

    @Test
    void capacityIsTheNumberOfEvenPortsHandedOut() {
        int[][] ranges = {{10_000, 10_014}, {10_001, 10_006}, {10_000, 10_001}, {16_384, 32_767}, {41_300, 41_399}};
        for (int[] r : ranges) {
            assertThat(PortRange.capacity(r[0], r[1])).as("%d-%d", r[0], r[1]).isEqualTo(new PortRange(r[0], r[1]).available());
        }
        assertThat(PortRange.capacity(10_000, 10_014)).isEqualTo(8);
        assertThat(PortRange.capacity(10_001, 10_001)).isZero();
    }

    @Test
    void aPortGoesBackToTheEndOnceAndOnlyIfItIsOurs() {
        PortRange range = new PortRange(10_000, 10_006);
        assertThat(range.take()).isEqualTo(10_000);
        assertThat(range.take()).isEqualTo(10_002);
        range.release(10_000);
        range.release(10_000);
        range.release(10_001);
        range.release(10_004);
        range.release(20_000);
        assertThat(range.available()).as("10004 was free already; odd and foreign ports are not taken").isEqualTo(3);
        assertThat(range.take()).isEqualTo(10_004);
        assertThat(range.take()).isEqualTo(10_006);
        assertThat(range.take()).as("the released port, last").isEqualTo(10_000);
        assertThat(range.take()).isEqualTo(-1);
    }
}
