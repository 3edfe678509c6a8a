package org.switchboard.sip.media;

/**
 * What a playback played.
 *
 * @param seconds the seconds played
 * @param milliseconds the milliseconds played
 * @param lastOffsetPosition the sample offset where it stopped (to resume with {@link PlayOptions#seekOffset()})
 */
public record PlayResult(int seconds, long milliseconds, long lastOffsetPosition) {
}
