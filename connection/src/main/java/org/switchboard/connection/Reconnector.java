package org.switchboard.connection;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a lost peer again: after {@link #start} it tries to open the connection after each {@link Backoff} delay
 * until an attempt succeeds or the owner is closed; {@link #connected} starts the next outage's delays from the
 * first again. Thread-safe.
 */
public final class Reconnector {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    private final Object peer;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Supplier<? extends CompletionStage<?>> open;
    private final BooleanSupplier closed;
    private int attempt;

    /**
     * @param peer what to reconnect to, for the log (its {@code toString} must hold no secret)
     * @param backoff the delays between attempts
     * @param timer where attempts are scheduled, and so the reconnector's only clock (tests pass one on virtual time)
     * @param open opens the connection; its stage completes exceptionally when the attempt failed
     * @param closed whether the owner was closed meanwhile (no further attempt is made then)
     */
    public Reconnector(Object peer, Backoff backoff, ScheduledExecutorService timer, Supplier<? extends CompletionStage<?>> open,
                       BooleanSupplier closed) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.open = Objects.requireNonNull(open, "open");
        this.closed = Objects.requireNonNull(closed, "closed");
    }

    /** The connection was lost: try again after the next delay, and go on trying until an attempt succeeds. */
    public void start() {
        long delay;
        int number;
        synchronized (this) {
            delay = backoff.delay(attempt).toMillis();
            number = ++attempt;
        }
        LOG.info("reconnecting to {} in {} ms (attempt {})", peer, delay, number);
        timer.schedule(() -> {
            if (!closed.getAsBoolean()) {
                open.get().whenComplete((ok, e) -> {
                    if (e != null && !closed.getAsBoolean()) {
                        start();
                    }
                });
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** A connection is up: the next outage starts again from the first delay. */
    public synchronized void connected() {
        attempt = 0;
    }
}
