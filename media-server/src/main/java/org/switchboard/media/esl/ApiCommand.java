package org.switchboard.media.esl;

import java.util.Optional;
import org.switchboard.media.core.Channel;

/** One api command ({@code status}, {@code uuid_dump}, {@code conference} ...). Must not block for long. */
@FunctionalInterface
public interface ApiCommand {

    /**
     * Runs the command.
     *
     * @param args the arguments, runs of spaces collapsed, trimmed
     * @param controlled the channel of the outbound socket it came on, if any
     * @return the output (an empty output is answered {@code -ERR no reply})
     */
    String run(String args, Optional<Channel> controlled);
}
