package org.switchboard.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Runs the graceful phase of several parts together, bounded by one drain timeout, then closes them. */
public final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * Shuts {@code parts} down together and waits until all are idle or {@code drain} has passed, telling
     * {@code progress} what is still awaited about once a second; then closes them in the given order.
     *
     * @return whether every part finished its work within {@code drain}
     */
    public static boolean stop(Duration drain, List<? extends Graceful> parts, Consumer<String> progress) {
        CompletableFuture<?>[] idle = parts.stream().map(Graceful::shutdown).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> all = CompletableFuture.allOf(idle);
        long deadline = System.nanoTime() + drain.toNanos();
        boolean drained = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    all.get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                    drained = true;
                    break;
                } catch (TimeoutException stillBusy) {
                    String waiting = String.join(", ", parts.stream().map(Graceful::inFlight).filter(s -> !s.isEmpty()).toList());
                    if (!waiting.isEmpty()) {
                        progress.accept(waiting);
                    }
                } catch (ExecutionException failed) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            parts.forEach(Graceful::close);
        }
        return drained;
    }
}
