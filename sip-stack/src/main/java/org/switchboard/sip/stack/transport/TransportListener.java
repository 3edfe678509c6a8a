package org.switchboard.sip.stack.transport;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Receives what the transport layer reads. Called on Netty event loops: must not block. */
public interface TransportListener {

    /** A message arrived. */
    void onMessage(IncomingMessage message);

    /**
     * Input could not be read as a message. When {@code request} is present it holds the start line and
     * headers, so a 400 can still be sent with {@link TransportLayer#sendResponse}; a stream that lost its
     * framing is closed after that answer, or at once when there is nothing to answer.
     */
    void onMalformed(String reason, Transport transport, InetSocketAddress remote, Optional<IncomingMessage> request);
}
