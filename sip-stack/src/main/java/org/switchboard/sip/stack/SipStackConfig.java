package org.switchboard.sip.stack;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.switchboard.metrics.Meters;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * Configuration of a {@link SipStack}: its transports, its protocol timers, where those timers run and where it
 * counts what it does.
 *
 * @param transport listen points, limits, connection handling
 * @param timers T1, T2, T4
 * @param timerScheduler where the transaction timers (A to M) run; empty: on a deadline-scheduler thread of the
 *        stack's own, stopped when the stack closes. A given scheduler stays the caller's (the stack does not shut it
 *        down); tests give one on virtual time.
 * @param meters where the stack's meters go (docs/operations.md lists them); by default a registry that keeps nothing
 * @param stackName the value of the {@code stack} tag every meter of this stack carries
 */
public record SipStackConfig(TransportConfig transport, TimerConfig timers, Optional<ScheduledExecutorService> timerScheduler,
                             MeterRegistry meters, String stackName) {

    /** The {@code stack} tag's value unless {@link #withMeters} names another. */
    public static final String DEFAULT_STACK_NAME = "sip";

    /** UDP and TCP on 127.0.0.1:5060 with the RFC 3261 timers. */
    public static final SipStackConfig DEFAULTS = new SipStackConfig(TransportConfig.builder().build(), TimerConfig.DEFAULTS);

    public SipStackConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(timerScheduler, "timerScheduler");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(stackName, "stackName");
    }

    /** Transports and timers, the timers on the stack's own thread, no meters kept. */
    public SipStackConfig(TransportConfig transport, TimerConfig timers) {
        this(transport, timers, Optional.empty(), Meters.none(), DEFAULT_STACK_NAME);
    }

    /** This configuration with the transaction timers on {@code scheduler}, which stays the caller's. */
    public SipStackConfig withTimerScheduler(ScheduledExecutorService scheduler) {
        return new SipStackConfig(transport, timers, Optional.of(Objects.requireNonNull(scheduler, "scheduler")), meters,
                stackName);
    }

    /** This configuration counting in {@code registry}, its meters tagged {@code stack=<stackName>}. */
    public SipStackConfig withMeters(MeterRegistry registry, String stackName) {
        return new SipStackConfig(transport, timers, timerScheduler, registry, stackName);
    }
}
