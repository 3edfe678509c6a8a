package org.switchboard.media.app;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.esl.ApiCommand;
import org.switchboard.media.session.RtpSession;
import org.switchboard.media.source.AudioSource;

/**
 * Bridged channels ({@code uuid_bridge a b}): each hears what the other's peer sends, a frame behind, as the sound
 * under anything it plays. {@code uuid_transfer <uuid> -both park inline} (what fsmrf's unbridge sends) and a hangup
 * of either leg take the bridge apart; both legs stay parked. CHANNEL_BRIDGE / CHANNEL_UNBRIDGE carry the other leg.
 */
public final class Bridges {

    private static final Logger LOG = LoggerFactory.getLogger(Bridges.class);

    private final Core core;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();

    /** One side of a bridge: the frames its peer sends, kept for the other side. */
    private static final class Leg {
        final Channel channel;
        final short[] latest = new short[RtpSession.FRAME];
        AutoCloseable tap;
        Leg other;

        Leg(Channel channel) {
            this.channel = channel;
        }

        AudioSource fromOther() {
            Leg o = other;
            return new AudioSource() {
                private long position;

                @Override
                public int read(short[] buffer, int offset, int length) {
                    int n = Math.min(length, RtpSession.FRAME);
                    synchronized (o.latest) {
                        System.arraycopy(o.latest, 0, buffer, offset, n);
                    }
                    position += n;
                    return n;
                }

                @Override
                public long position() {
                    return position;
                }
            };
        }
    }

    /** Bridges between the channels of {@code core}. */
    public Bridges(Core core) {
        this.core = core;
    }

    /** {@code uuid_bridge <a> <b>}. */
    public ApiCommand bridge() {
        return (args, controlled) -> {
            String[] p = args.split(" ");
            Optional<Channel> a = core.channel(p[0]);
            Optional<Channel> b = p.length > 1 ? core.channel(p[1]) : Optional.empty();
            if (a.isEmpty() || b.isEmpty() || a.get() == b.get()) {
                return "-ERR Invalid uuid\n";
            }
            bridge(a.get(), b.get());
            return "+OK " + b.get().uuid() + "\n";
        };
    }

    /** {@code uuid_transfer <uuid> [-bleg|-both] park inline}: only the park that undoes a bridge is supported. */
    public ApiCommand transfer() {
        return (args, controlled) -> {
            String[] p = args.split(" ");
            Optional<Channel> ch = core.channel(p[0]);
            if (ch.isEmpty()) {
                return "-ERR No such channel!\n";
            }
            if (!args.contains("park")) {
                return "-ERR only 'park inline' transfers are supported here\n";
            }
            unbridge(ch.get().uuid());
            return "+OK\n";
        };
    }

    private void bridge(Channel a, Channel b) {
        unbridge(a.uuid());
        unbridge(b.uuid());
        Leg la = new Leg(a);
        Leg lb = new Leg(b);
        la.other = lb;
        lb.other = la;
        la.tap = a.tapAudio(frame -> copy(frame, la));
        lb.tap = b.tapAudio(frame -> copy(frame, lb));
        legs.put(a.uuid(), la);
        legs.put(b.uuid(), lb);
        a.background(la.fromOther());
        b.background(lb.fromOther());
        a.hungUp().thenRun(() -> unbridge(a.uuid()));
        b.hungUp().thenRun(() -> unbridge(b.uuid()));
        fire("CHANNEL_BRIDGE", a, b);
    }

    private static void copy(short[] frame, Leg leg) {
        synchronized (leg.latest) {
            System.arraycopy(frame, 0, leg.latest, 0, Math.min(frame.length, leg.latest.length));
        }
    }

    private void unbridge(String uuid) {
        Leg leg = legs.remove(uuid);
        if (leg == null) {
            return;
        }
        Leg other = leg.other;
        legs.remove(other.channel.uuid(), other);
        for (Leg l : new Leg[] {leg, other}) {
            l.channel.background(null);
            try {
                l.tap.close();
            } catch (Exception e) {
                LOG.debug("removing a bridge tap", e);
            }
        }
        fire("CHANNEL_UNBRIDGE", leg.channel, other.channel);
    }

    private void fire(String name, Channel a, Channel b) {
        Map<String, String> other = Map.of("Bridge-A-Unique-ID", a.uuid(), "Bridge-B-Unique-ID", b.uuid(),
                "Other-Type", "originatee", "Other-Leg-Unique-ID", b.uuid());
        a.fire(name, "switch_ivr_bridge.c", "audio_bridge_on_exchange_media", other);
        b.fire(name, "switch_ivr_bridge.c", "audio_bridge_on_exchange_media", Map.of("Bridge-A-Unique-ID", a.uuid(),
                "Bridge-B-Unique-ID", b.uuid(), "Other-Type", "originator", "Other-Leg-Unique-ID", a.uuid()));
    }
}
