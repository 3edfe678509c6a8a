package org.switchboard.sip.media;

/**
 * How busy a media server is, from its last heartbeat (or {@code status} when none came yet).
 *
 * @param currentSessions channels up now
 * @param maxSessions the most channels the server takes
 * @param sessionsPerSecond new channels per second
 */
public record MediaLoad(int currentSessions, int maxSessions, int sessionsPerSecond) {

    /** Checks the counts are not negative. */
    public MediaLoad {
        if (currentSessions < 0 || maxSessions < 0 || sessionsPerSecond < 0) {
            throw new IllegalArgumentException("session counts must not be negative: " + currentSessions + ", "
                    + maxSessions + ", " + sessionsPerSecond);
        }
    }
}
