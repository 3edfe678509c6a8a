package org.switchboard.sip.stack.transport;

import java.net.InetSocketAddress;
import org.switchboard.sip.message.SipMessage;

/**
 * Sees every SIP message the transport layer reads or writes, retransmissions and stateless answers included: for a
 * per-call message ladder. Called on Netty event loops: an implementation must be quick and must not block (hand the
 * message off, do not format it at length or wait on a lock others hold long).
 */
public interface MessageTap {

    /** A message was read from {@code remote} over {@code transport}. */
    void received(SipMessage message, Transport transport, InetSocketAddress remote);

    /** A message is being written to {@code remote} over {@code transport}. */
    void sent(SipMessage message, Transport transport, InetSocketAddress remote);
}
