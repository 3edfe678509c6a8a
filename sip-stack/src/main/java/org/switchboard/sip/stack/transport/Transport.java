package org.switchboard.sip.stack.transport;

import java.util.Locale;

/** A SIP transport protocol. */
public enum Transport {
    UDP(false, 5060),
    TCP(true, 5060);

    private final boolean reliable;
    private final int defaultPort;

    Transport(boolean reliable, int defaultPort) {
        this.reliable = reliable;
        this.defaultPort = defaultPort;
    }

    /** Whether the transport delivers reliably (no retransmissions needed). */
    public boolean isReliable() {
        return reliable;
    }

    /** The port used when a URI or Via names none. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The transport named by a Via or a {@code transport} URI parameter (any case). */
    public static Transport of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported transport '" + name + "' (UDP and TCP are)", e);
        }
    }
}
