package org.switchboard.mrf;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.switchboard.sip.media.MediaException;

/**
 * One endpoint's operations in flight. Each has one deadline covering all its steps; each completes once, on the
 * endpoint's lane: with its result, at its deadline, or when the channel ends ({@link #failAll}).
 */
final class Commands {

    private final Executor lane;
    private final ScheduledExecutorService timers;
    private final Duration deadline;
    private final Map<CompletableFuture<?>, String> pending = new ConcurrentHashMap<>();
    // set once the channel ended: operations started later fail at once
    private volatile Function<String, MediaException> ended;

    Commands(Executor lane, ScheduledExecutorService timers, Duration deadline) {
        this.lane = lane;
        this.timers = timers;
        this.deadline = deadline;
    }

    /**
     * Runs {@code steps} under the deadline; {@code failure} turns a failure of the steps into the media failure
     * the caller sees.
     */
    <T> CompletableFuture<T> run(String operation, Supplier<CompletionStage<T>> steps,
                                 Function<Throwable, MediaException> failure) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Function<String, MediaException> end = ended;
        if (end != null) {
            lane.execute(() -> result.completeExceptionally(end.apply(operation)));
            return result;
        }
        pending.put(result, operation);
        ScheduledFuture<?> timer = timers.schedule(() -> fail(result, new MediaException.Timeout(
                operation + ": not completed within " + deadline.toMillis() + " ms")), deadline.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> {
            timer.cancel(false);
            pending.remove(result);
        });
        CompletionStage<T> running;
        try {
            running = steps.get();
        } catch (RuntimeException e) {
            fail(result, failure.apply(e));
            return result;
        }
        running.whenComplete((v, e) -> {
            if (e != null) {
                fail(result, failure.apply(e));
            } else {
                lane.execute(() -> result.complete(v));
            }
        });
        return result;
    }

    /** Fails every pending and later operation with what {@code why} makes of the operation's name. */
    void failAll(Function<String, MediaException> why) {
        if (ended == null) {
            ended = why;
        }
        for (Map.Entry<CompletableFuture<?>, String> op : Map.copyOf(pending).entrySet()) {
            fail(op.getKey(), why.apply(op.getValue()));
        }
    }

    /** Operations in flight. */
    int size() {
        return pending.size();
    }

    private void fail(CompletableFuture<?> op, MediaException e) {
        if (!op.isDone()) {
            lane.execute(() -> op.completeExceptionally(e));
        }
    }
}
