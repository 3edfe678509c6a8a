package org.switchboard.esl;

import java.util.Optional;
import org.switchboard.esl.codec.EslFrame;

/**
 * The switch's answer to a command: a {@code command/reply} (its {@code Reply-Text} and headers) or an
 * {@code api/response} (its body).
 *
 * @param frame the frame as received
 */
public record EslReply(EslFrame frame) {

    /** The Reply-Text of a command/reply, or the body of an api/response. */
    public String text() {
        return frame.header("Reply-Text").map(t -> frame.decodedHeader("Reply-Text").orElse(t).strip())
                .orElseGet(frame::bodyAsString);
    }

    /** Whether the switch reported success (no {@code -ERR} prefix). */
    public boolean isOk() {
        return !text().startsWith("-ERR");
    }

    /** A header of the reply. */
    public Optional<String> header(String name) {
        return frame.header(name);
    }
}
