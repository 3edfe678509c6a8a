package org.switchboard.drachtio.server;

/** How the server refuses a request it will not take: with a final response, or by dropping it unanswered. */
public enum RefusalMode {
    /** Answered at once with a failure response; the request reaches no app. */
    REJECT,
    /**
     * Dropped before any transaction exists: no response, not even 100 Trying, so a scanner learns nothing and a
     * flood costs the parsing only. A real caller retransmits and then gives up.
     */
    DISCARD;

    /** {@code reject} or {@code discard}, as drachtio-server's configuration file writes them. */
    public static RefusalMode of(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "reject" -> REJECT;
            case "discard" -> DISCARD;
            default -> throw new IllegalArgumentException("a refusal is 'reject' or 'discard', not '" + name + "'");
        };
    }
}
