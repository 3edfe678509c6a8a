package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.switchboard.sip.message.SipMessage;

/**
 * A message as it arrived: the message (with {@code received}/{@code rport} already added to the top
 * Via of a request), the transport, and the addresses it came from and to.
 */
public final class IncomingMessage {

    private final SipMessage message;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Channel channel;
    private final boolean closeAfterResponse;

    IncomingMessage(SipMessage message, Transport transport, InetSocketAddress remote, InetSocketAddress local,
                    Channel channel, boolean closeAfterResponse) {
        this.message = message;
        this.transport = transport;
        this.remote = remote;
        this.local = local;
        this.channel = channel;
        this.closeAfterResponse = closeAfterResponse;
    }

    /** The message. */
    public SipMessage message() {
        return message;
    }

    /** The transport it came over. */
    public Transport transport() {
        return transport;
    }

    /** The address it came from. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The local address it came to. */
    public InetSocketAddress local() {
        return local;
    }

    Channel channel() {
        return channel;
    }

    boolean closeAfterResponse() {
        return closeAfterResponse;
    }

    @Override
    public String toString() {
        return transport + " from " + remote + ": " + message.startLine();
    }
}
