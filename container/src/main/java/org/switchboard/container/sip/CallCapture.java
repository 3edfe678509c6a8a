package org.switchboard.container.sip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * What one Call-ID's ladder holds: its SIP messages and media events in the order seen, at most a given number (later
 * ones are counted, not kept), and the Call-IDs of its related legs. A SIP message is kept as the parsed, immutable
 * message and written out as text only when someone reads the ladder, so that the I/O thread that records it does
 * little.
 *
 * <p>Threads: guarded by the {@link CallCaptures} monitor.
 */
final class CallCapture {

    private record Entry(Instant at, CapturedEvent.Kind kind, String peer, SipMessage message, String label, String text) {

        CapturedEvent event() {
            if (message == null) {
                return new CapturedEvent(at, kind, peer, label, text);
            }
            String l = message instanceof SipResponse r ? r.status() + " " + r.reason() : ((SipRequest) message).method();
            return new CapturedEvent(at, kind, peer, l, message.toString());
        }
    }

    final String callId;
    final Instant started;
    private final int limit;
    private final List<Entry> entries = new ArrayList<>(8);
    final Set<String> legs = new LinkedHashSet<>(1);
    int dropped;
    // the call's application once the container knows it
    String application = "";

    CallCapture(String callId, Instant started, int limit) {
        this.callId = callId;
        this.started = started;
        this.limit = limit;
    }

    void add(Instant at, CapturedEvent.Kind kind, String peer, SipMessage message) {
        add(new Entry(at, kind, peer, message, null, null));
    }

    void addMedia(Instant at, String peer, String label, String text) {
        add(new Entry(at, CapturedEvent.Kind.MEDIA, peer, null, label, text));
    }

    private void add(Entry e) {
        if (entries.size() >= limit) {
            dropped++;
        } else {
            entries.add(e);
        }
    }

    int size() {
        return entries.size();
    }

    List<CapturedEvent> events() {
        return entries.stream().map(Entry::event).toList();
    }
}
