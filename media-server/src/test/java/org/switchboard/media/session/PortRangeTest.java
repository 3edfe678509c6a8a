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
}
