package org.switchboard.testkit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.message.SipMessage;

/** Every SIP message a phone sent or received, with its time and first line: the call flow failures show. */
final class Ladder {

    private record Step(long millis, boolean sent, String peer, String callId, String firstLine) {
    }

    private final String name;
    private final long start = System.nanoTime();
    private final List<Step> steps = new ArrayList<>();

    Ladder(String name) {
        this.name = name;
    }

    void sent(SipMessage message, InetSocketAddress to, SipTransport transport) {
        add(true, message, to, transport);
    }

    void received(SipMessage message, InetSocketAddress from, SipTransport transport) {
        add(false, message, from, transport);
    }

    private synchronized void add(boolean sent, SipMessage message, InetSocketAddress peer, SipTransport transport) {
        steps.add(new Step((System.nanoTime() - start) / 1_000_000, sent,
                peer.getAddress().getHostAddress() + ":" + peer.getPort() + "/" + transport,
                message.callId().orElse(""), message.startLine()));
    }

    /** The ladder of one call (its Call-ID), or of everything when empty. */
    synchronized String render(Optional<String> callId) {
        StringBuilder b = new StringBuilder("SIP ladder of ").append(name)
                .append(callId.map(c -> " (Call-ID " + c + ")").orElse("")).append(":\n");
        int shown = 0;
        for (Step s : steps) {
            if (callId.isPresent() && !callId.get().equals(s.callId())) {
                continue;
            }
            b.append(String.format("  %6d ms  %s %-22s %s%n", s.millis(), s.sent() ? "-->" : "<--", s.peer(),
                    s.firstLine()));
            shown++;
        }
        if (shown == 0) {
            b.append("  (no messages)\n");
        }
        return b.toString();
    }
}
