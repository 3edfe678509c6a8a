package org.switchboard.media.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.switchboard.esl.event.EslEvent;

/**
 * Who an event may go to: the listeners that take any event, and the listeners narrowed to some channels, by channel
 * UUID (lower case). Without the index every event went to every event socket connection, and each of a thousand
 * outbound connections filtered to its own channel rejected the other channels' events one by one.
 *
 * <p>A listener's change touches only its own channels' entries: each outbound connection changes its routes a few
 * times in its life, so a change that copied the whole index (as an immutable snapshot did) cost O(channels up) under
 * one lock, several times per call. One listener's changes are atomic (under its entry in {@code narrowed}); an event
 * fired during a change may miss the listener or find it in two places, and is then offered to it once.
 */
final class EventRoutes {

    private final CopyOnWriteArrayList<EventListener> everywhere = new CopyOnWriteArrayList<>();
    // channel UUID (lower case) -> its listeners, an immutable list replaced as a whole
    private final Map<String, List<EventListener>> byChannel = new ConcurrentHashMap<>();
    // listener -> the channels it is narrowed to (absent: it takes every event, or listens no more)
    private final Map<EventListener, Set<String>> narrowed = new ConcurrentHashMap<>();

    boolean isEmpty() {
        return everywhere.isEmpty() && narrowed.isEmpty();
    }

    /**
     * Routes every event ({@code channels} empty) or those of {@code channels} to {@code listener}, in place of what
     * it had. The new routes are in place before the old ones go, so that no event falls between them.
     */
    void route(EventListener listener, Set<String> channels) {
        Set<String> keys = new HashSet<>();
        for (String channel : channels) {
            keys.add(channel.toLowerCase(Locale.ROOT));
        }
        narrowed.compute(listener, (l, old) -> {
            Set<String> before = old == null ? Set.of() : old;
            if (keys.isEmpty()) {
                everywhere.addIfAbsent(l);
            }
            for (String key : keys) {
                if (!before.contains(key)) {
                    byChannel.compute(key, (k, those) -> with(those, l));
                }
            }
            if (!keys.isEmpty()) {
                everywhere.remove(l);
            }
            for (String key : before) {
                if (!keys.contains(key)) {
                    byChannel.computeIfPresent(key, (k, those) -> without(those, l));
                }
            }
            return keys.isEmpty() ? null : Set.copyOf(keys);
        });
    }

    /** Stops routing events to {@code listener}. */
    void remove(EventListener listener) {
        narrowed.compute(listener, (l, old) -> {
            everywhere.remove(l);
            if (old != null) {
                for (String key : old) {
                    byChannel.computeIfPresent(key, (k, those) -> without(those, l));
                }
            }
            return null;
        });
    }

    /**
     * The listeners {@code event} may go to (each decides for itself), each once: every unnarrowed one, and those
     * narrowed to its channel (its Unique-ID) or, for a background job, to the channel that owns the job.
     */
    List<EventListener> candidates(EslEvent event) {
        if (byChannel.isEmpty()) {
            return everywhere;
        }
        List<EventListener> mine = channel(event.uniqueId().orElse(null));
        List<EventListener> owner = event.eventName().equals("BACKGROUND_JOB")
                ? channel(event.header("Job-Owner-UUID").orElse(null)) : List.of();
        if (mine.isEmpty() && owner.isEmpty()) {
            return everywhere;
        }
        List<EventListener> all = new ArrayList<>(everywhere);
        addOnce(all, mine);
        addOnce(all, owner);
        return all;
    }

    private List<EventListener> channel(String uuid) {
        return uuid == null ? List.of() : byChannel.getOrDefault(uuid.toLowerCase(Locale.ROOT), List.of());
    }

    private static void addOnce(List<EventListener> all, List<EventListener> more) {
        for (EventListener l : more) {
            if (!all.contains(l)) {
                all.add(l);
            }
        }
    }

    private static List<EventListener> with(List<EventListener> those, EventListener l) {
        if (those == null) {
            return List.of(l);
        }
        List<EventListener> more = new ArrayList<>(those);
        more.add(l);
        return List.copyOf(more);
    }

    // null (no listeners left) removes the channel's entry
    private static List<EventListener> without(List<EventListener> those, EventListener l) {
        List<EventListener> fewer = new ArrayList<>(those);
        fewer.remove(l);
        return fewer.isEmpty() ? null : List.copyOf(fewer);
    }
}
