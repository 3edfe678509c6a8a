package org.switchboard.lifecycle;

import java.util.concurrent.CompletableFuture;

/**
 * Something long-lived that can stop taking new work and let the work it has finish: the graceful phase
 * between running and stopped that the container, the embedded drachtio server and the media server share.
 *
 * <p>{@link #shutdown()} is idempotent and never blocks: it refuses new work from the moment it is called and
 * returns a future that completes when nothing is in flight any more. The caller bounds the wait (see
 * {@link Lifecycle#stop}); what is still in flight when the wait ends is cut off by {@code close()}.
 */
public interface Graceful extends AutoCloseable {

    /** Stops taking new work; the future completes once the work in flight is done. */
    CompletableFuture<Void> shutdown();

    /** Whether {@link #shutdown()} was called. */
    boolean isShutdown();

    /** What the graceful phase still waits for, in a few words ({@code "3 calls"}), empty when nothing. */
    String inFlight();

    /** Ends whatever is left at once and releases every resource. */
    @Override
    void close();
}
