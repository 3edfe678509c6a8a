package org.switchboard.container;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.switchboard.container.sip.CallCaptures;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.stack.transport.MessageTap;
import org.switchboard.sip.stack.transport.Transport;

/**
 * The embedded server's wire, into the calls' ladders: every SIP message its transport reads or writes, by Call-ID.
 * Runs on the server's I/O threads: it only files the parsed message (the text is written when a ladder is read).
 */
final class CaptureTap implements MessageTap {

    // a peer's label by transport and address: a call's dozen messages go to one or two peers, and writing the
    // address out each time was a tenth of what filing a message cost; emptied when it grows past PEERS
    private static final int PEERS = 4096;
    private final Map<Peer, String> peers = new ConcurrentHashMap<>();
    private final CallCaptures captures;

    private record Peer(Transport transport, InetSocketAddress remote) {
    }

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

    private String peer(Transport transport, InetSocketAddress remote) {
        Peer key = new Peer(transport, remote);
        String label = peers.get(key);
        if (label == null) {
            if (peers.size() >= PEERS) {
                peers.clear();
            }
            label = label(transport, remote);
            peers.put(key, label);
        }
        return label;
    }

    private static String label(Transport transport, InetSocketAddress remote) {
        String host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return transport.name().toLowerCase(Locale.ROOT) + " " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + remote.getPort();
    }
}
