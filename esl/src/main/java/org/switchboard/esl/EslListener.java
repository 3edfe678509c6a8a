package org.switchboard.esl;

import org.switchboard.esl.event.EslEvent;

/**
 * Receives a connection's events. Called off the I/O threads: one channel's events ({@code Unique-ID})
 * in order, different channels possibly in parallel. Blocking here delays only this listener's deliveries.
 */
public interface EslListener {

    /** An event arrived. */
    void onEvent(EslEvent event);

    /** A log line arrived (after {@link EslSession#log}); lines come in order, off the I/O threads. */
    default void onLog(EslLogLine line) {
    }

    /** The connection ended (the switch closed it, or it failed); {@code reason} says why. */
    default void onDisconnect(String reason) {
    }
}
