package org.switchboard.drachtio.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * The requests a connection sent that wait for the server's {@code response}, by message id: each has a deadline,
 * is counted by outcome in the client's meters, and fails at once when the connection is lost. Futures are
 * completed through {@code complete} and {@code fail}, which the client runs off the I/O threads.
 *
 * <p>Threads: any; the table is concurrent and each entry is removed exactly once, by whoever ends it first.
 */
final class PendingRequests {

    // reports: the 'continue' frames of a proxy request, null for other requests
    private record Pending(String keyword, String description, CompletableFuture<DrachtioFrame> response,
                           ScheduledFuture<?> deadline, List<DrachtioFrame> reports, long startedNanos) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ClientMeters meters;
    private final BiConsumer<CompletableFuture<DrachtioFrame>, DrachtioFrame> complete;
    private final BiConsumer<CompletableFuture<?>, DrachtioException> fail;

    PendingRequests(ScheduledExecutorService timer, ClientMeters meters,
                    BiConsumer<CompletableFuture<DrachtioFrame>, DrachtioFrame> complete,
                    BiConsumer<CompletableFuture<?>, DrachtioException> fail) {
        this.timer = timer;
        this.meters = meters;
        this.complete = complete;
        this.fail = fail;
    }

    /**
     * Waits for the response to request {@code id} ({@code keyword}, described in errors as {@code description})
     * for at most {@code timeout}; {@code reports} collects a proxy request's {@code continue} frames.
     */
    CompletableFuture<DrachtioFrame> add(String id, String keyword, String description, Duration timeout,
                                         List<DrachtioFrame> reports) {
        CompletableFuture<DrachtioFrame> response = new CompletableFuture<>();
        long started = System.nanoTime();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            if (pending.remove(id) != null) {
                meters.completed(keyword, ClientMeters.Outcome.TIMEOUT, started);
                fail.accept(response, new DrachtioException.Timeout("'" + description + "': no response within "
                        + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(keyword, description, response, deadline, reports, started));
        return response;
    }

    /** Request {@code id} could not be written. */
    void notSent(String id, Throwable cause) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.deadline.cancel(false);
            meters.completed(p.keyword, ClientMeters.Outcome.CLOSED, p.startedNanos);
            fail.accept(p.response, new DrachtioException.ConnectionClosed("'" + p.description + "' could not be sent: "
                    + cause.getMessage()));
        }
    }

    /** Takes a {@code response} frame; false when it answers no request waiting here. */
    boolean answer(DrachtioFrame frame) {
        if (frame.isContinued()) {
            Pending p = pending.get(frame.inReplyTo());
            if (p != null && p.reports != null) {
                p.reports.add(frame); // a proxy report; the final response completes the request
            }
            return p != null;
        }
        Pending p = pending.remove(frame.inReplyTo());
        if (p == null) {
            return false;
        }
        p.deadline.cancel(false);
        meters.completed(p.keyword, frame.isOk() ? ClientMeters.Outcome.OK : ClientMeters.Outcome.REFUSED, p.startedNanos);
        if (frame.isOk()) {
            complete.accept(p.response, frame);
        } else {
            fail.accept(p.response, new DrachtioException.Refused("'" + p.description + "': " + frame.status() + " "
                    + frame.token(4)));
        }
        return true;
    }

    /** Fails every request still waiting: the connection is gone ({@code reason}). */
    void failAll(String reason) {
        for (String id : new ArrayList<>(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.deadline.cancel(false);
                meters.completed(p.keyword, ClientMeters.Outcome.CLOSED, p.startedNanos);
                fail.accept(p.response, new DrachtioException.ConnectionClosed("'" + p.description + "': " + reason));
            }
        }
    }
}
