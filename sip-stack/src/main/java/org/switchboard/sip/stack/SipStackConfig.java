package org.switchboard.sip.stack;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * Configuration of a {@link SipStack}: its transports, its protocol timers and where those timers run.
 *
 * @param transport listen points, limits, connection handling
 * @param timers T1, T2, T4
 * @param timerScheduler where the transaction timers (A to M) run; empty: on a deadline-scheduler thread of the
 *        stack's own, stopped when the stack closes. A given scheduler stays the caller's (the stack does not shut it
 *        down); tests give one on virtual time.
 */
public record SipStackConfig(TransportConfig transport, TimerConfig timers, Optional<ScheduledExecutorService> timerScheduler) {

    /** UDP and TCP on 127.0.0.1:5060 with the RFC 3261 timers. */
    public static final SipStackConfig DEFAULTS = new SipStackConfig(TransportConfig.builder().build(), TimerConfig.DEFAULTS);

    public SipStackConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(timerScheduler, "timerScheduler");
    }

    /** Transports and timers, the timers on the stack's own thread. */
    public SipStackConfig(TransportConfig transport, TimerConfig timers) {
        this(transport, timers, Optional.empty());
    }

    /** This configuration with the transaction timers on {@code scheduler}, which stays the caller's. */
    public SipStackConfig withTimerScheduler(ScheduledExecutorService scheduler) {
        return new SipStackConfig(transport, timers, Optional.of(Objects.requireNonNull(scheduler, "scheduler")));
    }
}
