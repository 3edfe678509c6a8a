package org.switchboard.container;

import java.net.InetSocketAddress;
import java.util.Locale;
import org.switchboard.container.sip.CallCaptures;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.stack.transport.MessageTap;
import org.switchboard.sip.stack.transport.Transport;

/**
 * The embedded server's wire, into the calls' ladders: every SIP message its transport reads or writes, by Call-ID.
 * Runs on the server's I/O threads: it only files the parsed message (the text is written when a ladder is read).
 */
final class CaptureTap implements MessageTap {

    private final CallCaptures captures;

    CaptureTap(CallCaptures captures) {
        this.captures = captures;
    }

    @Override
    public void received(SipMessage message, Transport transport, InetSocketAddress remote) {
        message.callId().ifPresent(id -> captures.record(id, true, peer(transport, remote), message));
    }

    @Override
    public void sent(SipMessage message, Transport transport, InetSocketAddress remote) {
        message.callId().ifPresent(id -> captures.record(id, false, peer(transport, remote), message));
    }

    private static String peer(Transport transport, InetSocketAddress remote) {
        String host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return transport.name().toLowerCase(Locale.ROOT) + " " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + remote.getPort();
    }
}
