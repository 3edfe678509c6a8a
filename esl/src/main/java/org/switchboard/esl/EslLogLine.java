package org.switchboard.esl;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the switch's log, as a {@code log/data} message carries it after {@code log <level>}: its level (0
 * CONSOLE to 7 DEBUG), the channel it is about, where in the switch's source it was written, and the formatted line.
 */
public record EslLogLine(int level, Optional<String> channelUuid, String file, String function, int line, String text) {

    public EslLogLine {
        Objects.requireNonNull(channelUuid, "channelUuid");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(text, "text");
    }
}
