package org.switchboard.media.core;

/** A dialplan application ({@code playback}, {@code set} ...), run on the channel's own thread; it may block. */
@FunctionalInterface
public interface Application {

    /**
     * Runs the application with its argument (already {@code ${var}}-expanded).
     *
     * @return the {@code Application-Response} (for example {@code FILE PLAYED}); {@code _none_} when it has none
     */
    String run(Channel channel, String argument) throws InterruptedException;
}
