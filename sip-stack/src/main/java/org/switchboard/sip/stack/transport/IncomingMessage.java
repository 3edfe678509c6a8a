package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Objects;
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

    /**
     * A message read from {@code channel} by something other than a transport layer's listeners: a channel of
     * the caller's own, such as an {@code EmbeddedChannel} that feeds a transaction user without a socket.
     * Responses sent for it through a transport layer go to that channel.
     */
    public static IncomingMessage received(SipMessage message, Transport transport, InetSocketAddress remote,
                                           InetSocketAddress local, Channel channel) {
        return new IncomingMessage(Objects.requireNonNull(message, "message"), Objects.requireNonNull(transport,
                "transport"), Objects.requireNonNull(remote, "remote"), Objects.requireNonNull(local, "local"),
                Objects.requireNonNull(channel, "channel"), false);
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
