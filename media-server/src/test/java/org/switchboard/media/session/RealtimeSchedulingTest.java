package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealtimeSchedulingTest {

    @Test
    void readsThePolicyFieldEvenWhenTheThreadNameHoldsSpacesAndParentheses(@TempDir Path dir) throws Exception {
        // fields 4 to 39 as placeholders, then rt_priority (40) 10 and policy (41) 2
        String afterName = "S " + java.util.stream.IntStream.rangeClosed(4, 39).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(" ")) + " 10 2 0 0 0\n";
        Path stat = Files.writeString(dir.resolve("stat"), "4242 (odd ) name) " + afterName);
        assertThat(RealtimeScheduling.policyOf(stat)).isEqualTo(2);
    }

    @Test
    void theClockReportsTheSchedulingItsThreadReallyHas() throws Exception {
        try (MediaClock clock = MediaClock.start(5)) {
            // the policy as the kernel reports it for the clock's thread, read on that thread
            CompletableFuture<Integer> policy = new CompletableFuture<>();
            AutoCloseable task = clock.register(() -> {
                try {
                    policy.complete(RealtimeScheduling.policyOf(Path.of("/proc/thread-self/stat")));
                } catch (Exception e) {
                    policy.completeExceptionally(e);
                }
            });
            // granted (root, CAP_SYS_NICE, RLIMIT_RTPRIO) or refused and logged: either way the report is the truth
            assertThat(policy.get(5, TimeUnit.SECONDS)).isEqualTo(clock.realtime() ? 2 : 0);
            task.close();
        }
        try (MediaClock normal = MediaClock.start()) {
            assertThat(normal.realtime()).isFalse();
        }
    }

    @Test
    void refusesPrioritiesOutsideTheRange() {
        assertThatThrownBy(() -> MediaClock.start(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaClock.start(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
