package org.switchboard.sip.stack.codec;

import java.net.SocketAddress;
import java.util.Optional;
import org.switchboard.sip.message.SipMessage;

/** What the SIP decoders pass up the pipeline: a message, or the news that input was malformed. */
public sealed interface Inbound {

    /** The address the input came from. */
    SocketAddress sender();

    /** A message read whole; its headers may still fail {@link SipMessage#validate()}. */
    record Message(SipMessage message, SocketAddress sender) implements Inbound {
    }

    /**
     * Input that could not be read as a message.
     *
     * @param reason what was wrong and where
     * @param partial the start line and headers when they could be read, so that a request can still be answered
     * @param closeConnection whether the stream lost its framing and must be closed (after any answer)
     */
    record Malformed(String reason, Optional<SipMessage> partial, SocketAddress sender, boolean closeConnection)
            implements Inbound {
    }
}
