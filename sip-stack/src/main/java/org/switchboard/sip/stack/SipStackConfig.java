package org.switchboard.sip.stack;

import java.util.Objects;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * Configuration of a {@link SipStack}: its transports and its protocol timers.
 *
 * @param transport listen points, limits, connection handling
 * @param timers T1, T2, T4
 */
public record SipStackConfig(TransportConfig transport, TimerConfig timers) {

    /** UDP and TCP on 127.0.0.1:5060 with the RFC 3261 timers. */
    public static final SipStackConfig DEFAULTS = new SipStackConfig(TransportConfig.builder().build(), TimerConfig.DEFAULTS);

    public SipStackConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(timers, "timers");
    }
}
