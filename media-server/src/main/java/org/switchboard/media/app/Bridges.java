package org.switchboard.media.app;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.esl.ApiCommand;
import org.switchboard.media.source.AudioSource;

/**
 * Bridged channels ({@code uuid_bridge a b}): each hears what the other's peer sends, a frame behind, as the sound
 * under anything it plays; between channels of two rates (a G.722 leg and an Opus one) the channel that plays it
 * converts it to its own. {@code uuid_transfer <uuid> -both park inline} (what fsmrf's unbridge sends) and a hangup
 * of either leg take the bridge apart; both legs stay parked. CHANNEL_BRIDGE / CHANNEL_UNBRIDGE carry the other leg.
 */
public final class Bridges {

    private static final Logger LOG = LoggerFactory.getLogger(Bridges.class);

    private final Core core;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();

    /** One side of a bridge: the frames its peer sends, at its channel's rate, kept for the other side. */
    private static final class Leg {
        final Channel channel;
        // guarded by this leg
        private short[] latest;
        AutoCloseable tap;
        Leg other;

        Leg(Channel channel) {
            this.channel = channel;
            this.latest = new short[Audio.frameLength(channel.rate())];
        }

        /** A frame heard from this leg's peer (its clock thread). */
        synchronized void heard(short[] frame) {
            if (latest.length != frame.length) {
                latest = new short[frame.length];
            }
            System.arraycopy(frame, 0, latest, 0, frame.length);
        }

        /** Copies the latest frame heard to {@code buffer}, up to {@code length}; returns how many samples. */
        synchronized int latest(short[] buffer, int offset, int length) {
            int n = Math.min(length, latest.length);
            System.arraycopy(latest, 0, buffer, offset, n);
            return n;
        }

        synchronized int rate() {
            return latest.length * Audio.FRAMES_PER_SECOND;
        }

        AudioSource fromOther() {
            Leg o = other;
            return new AudioSource() {
                private long position;

                @Override
                public int rate() {
                    return o.rate();
                }

                @Override
                public int read(short[] buffer, int offset, int length) {
                    int n = o.latest(buffer, offset, length);
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
        la.tap = a.tapAudio(la::heard);
        lb.tap = b.tapAudio(lb::heard);
        legs.put(a.uuid(), la);
        legs.put(b.uuid(), lb);
        a.background(la.fromOther());
        b.background(lb.fromOther());
        a.hungUp().thenRun(() -> unbridge(a.uuid()));
        b.hungUp().thenRun(() -> unbridge(b.uuid()));
        fire("CHANNEL_BRIDGE", a, b);
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
