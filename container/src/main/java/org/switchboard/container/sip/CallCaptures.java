package org.switchboard.container.sip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * The per-call message capture behind the console's ladders: each call in progress holds its capture (opened and
 * retired by {@link Calls} with the call), and the last {@code endedLimit} ended calls are kept in a ring for looking at
 * afterwards. Nothing else of a call stays: memory is bounded by the calls in progress, the ring, and a small map of
 * Call-IDs seen on the wire that no call holds yet (the INVITE and the server's 100 Trying come before the container
 * opens the call), each capture by {@code perCallLimit} entries.
 *
 * <p>Messages come from one of two views. With the embedded server, its transport layer shows every message read and
 * written ({@link #tapped()} is then set and {@link #record} called on I/O threads): the complete ladder, the server's
 * own 100 Trying, ACKs and retransmissions included. With an external drachtio-server, {@link SipCore} records what it
 * sees through the drachtio connection (requests and responses received, messages the server reports it sent).
 *
 * <p>Threads: any; every method takes this object's monitor for a few map and list operations only (no formatting,
 * no I/O). Lock order: the {@link Calls} monitor, then this one, never the other way.
 */
public final class CallCaptures {

    /** How many ended calls are kept by default. */
    public static final int DEFAULT_ENDED = 100;
    /** How many entries one call keeps by default. */
    public static final int DEFAULT_PER_CALL = 500;
    // Call-IDs seen on the wire with no call (yet): enough for the gap between the wire and the container at a high rate
    static final int UNCLAIMED_LIMIT = 1024;

    private final int perCallLimit;
    private final Map<String, CallCapture> live = new HashMap<>();
    private final LinkedHashMap<String, CallCapture> ended;
    private final LinkedHashMap<String, CallCapture> unclaimed;
    private volatile boolean tapped;
    private long entries; // every entry recorded: the console reloads an open ladder when it moves
    private long invites; // new INVITEs received
    private long failures; // final responses >= 300 (challenges aside) the node sent to INVITEs

    /**
     * Captures keeping {@code endedLimit} ended calls (0: none) and at most {@code perCallLimit} entries per call (0: the
     * calls are listed with their legs, their messages only counted).
     */
    public CallCaptures(int endedLimit, int perCallLimit) {
        if (endedLimit < 0 || perCallLimit < 0) {
            throw new IllegalArgumentException("ended calls " + endedLimit + ", entries per call " + perCallLimit
                    + ": neither may be negative");
        }
        this.perCallLimit = perCallLimit;
        this.ended = bounded(endedLimit);
        this.unclaimed = bounded(UNCLAIMED_LIMIT);
    }

    private static LinkedHashMap<String, CallCapture> bounded(int limit) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CallCapture> eldest) {
                return size() > limit;
            }
        };
    }

    /** From now on messages come from the transport's tap ({@link #record}); the drachtio-level view is not used. */
    public void tapped() {
        tapped = true;
    }

    boolean isTapped() {
        return tapped;
    }

    /** A SIP message of {@code callId} read ({@code received}) or written, to or from {@code peer}. */
    public void record(String callId, boolean received, String peer, SipMessage message) {
        Instant now = Instant.now();
        CapturedEvent.Kind kind = received ? CapturedEvent.Kind.RECEIVED : CapturedEvent.Kind.SENT;
        boolean newInvite = received && message instanceof SipRequest r && r.isMethod("INVITE") && !hasToTag(r);
        boolean failure = !received && message instanceof SipResponse r && r.status() >= 300 && r.status() != 401
                && r.status() != 407 && isInvite(r);
        synchronized (this) {
            entries++;
            invites += newInvite ? 1 : 0;
            failures += failure ? 1 : 0;
            CallCapture c = live.get(callId);
            if (c == null) {
                c = ended.get(callId); // the last ACK or a retransmission after the call ended
            }
            if (c == null) {
                c = unclaimed.computeIfAbsent(callId, id -> new CallCapture(id, now, perCallLimit));
            }
            c.add(now, kind, peer, message);
        }
    }

    /** The drachtio-level view's message, when no tap shows the wire. */
    void recordFromDrachtio(String callId, boolean received, String peer, SipMessage message) {
        if (!tapped && !callId.isEmpty()) {
            record(callId, received, peer, message);
        }
    }

    private static boolean hasToTag(SipRequest r) {
        try {
            return r.to().tag().isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isInvite(SipResponse r) {
        try {
            return r.cseq().method().equals("INVITE");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The capture of a call the container opens: the one its first messages made, else a new one. */
    synchronized CallCapture open(String callId) {
        CallCapture c = unclaimed.remove(callId);
        if (c == null) {
            c = new CallCapture(callId, Instant.now(), perCallLimit);
        }
        live.put(callId, c);
        return c;
    }

    /** The call ended: its capture moves to the ring of ended calls (the oldest there is dropped). */
    synchronized void retire(CallCapture c) {
        if (live.remove(c.callId, c)) {
            ended.remove(c.callId);
            ended.put(c.callId, c);
        }
    }

    /** A call that had ended holds something again (see {@link Calls}): its capture is in progress again. */
    synchronized void revive(CallCapture c) {
        if (ended.remove(c.callId, c)) {
            live.put(c.callId, c);
        }
    }

    synchronized void media(CallCapture c, String peer, String label, String text) {
        entries++;
        c.addMedia(Instant.now(), peer, label, text);
    }

    synchronized void application(CallCapture c, String name) {
        if (c.application.isEmpty()) {
            c.application = name;
        }
    }

    /** {@code leg} was placed while an application handled {@code parent}: each names the other as a leg. */
    synchronized void relate(String parent, String leg) {
        CallCapture p = find(parent);
        CallCapture l = find(leg);
        if (p != null && l != null && p != l) {
            p.legs.add(leg);
            l.legs.add(parent);
        }
    }

    private CallCapture find(String callId) {
        CallCapture c = live.get(callId);
        return c != null ? c : ended.get(callId);
    }

    /** The ladder of a call in progress or among the recently ended ones. */
    public synchronized Optional<List<CapturedEvent>> events(String callId) {
        return Optional.ofNullable(find(callId)).map(CallCapture::events);
    }

    /** The recently ended calls, the latest first. */
    public synchronized List<CallSummary> ended() {
        List<CallSummary> result = new ArrayList<>(ended.size());
        ended.values().forEach(c -> result.add(summary(c, "ended")));
        result.sort(Comparator.comparing(CallSummary::started).reversed());
        return result;
    }

    synchronized CallSummary summary(CallCapture c, String state) {
        return new CallSummary(c.callId, c.started, state, c.application, List.copyOf(c.legs), c.size());
    }

    /** Counters since the start: ladder entries recorded, new INVITEs received, INVITEs the node failed. */
    public synchronized Totals totals() {
        return new Totals(entries, invites, failures);
    }

    /** How many captures are held: in progress, ended, and not claimed by a call. */
    synchronized int[] held() {
        return new int[] {live.size(), ended.size(), unclaimed.size()};
    }

    /**
     * Counters since the start.
     *
     * @param entries ladder entries recorded (the console reloads an open ladder when this moves)
     * @param invites new INVITEs received (the call rate)
     * @param failures final responses of 300 and above, challenges aside, that the node sent to INVITEs
     */
    public record Totals(long entries, long invites, long failures) {
    }
}
