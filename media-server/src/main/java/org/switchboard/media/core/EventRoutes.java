package org.switchboard.media.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.switchboard.esl.event.EslEvent;

/**
 * Who an event may go to: the listeners that take any event, and the listeners narrowed to some channels, by channel
 * UUID (lower case). Immutable: the core swaps in a new one when a listener comes, goes or narrows, so that firing an
 * event looks at one consistent picture and never hands it to a listener twice. Without the index every event went
 * to every event socket connection, and each of a thousand outbound connections filtered to its own channel
 * rejected the other channels' events one by one.
 */
final class EventRoutes {

    static final EventRoutes NONE = new EventRoutes(List.of(), Map.of(), Map.of());

    private final List<EventListener> everywhere;
    private final Map<String, List<EventListener>> byChannel;
    private final Map<EventListener, Set<String>> narrowed;

    private EventRoutes(List<EventListener> everywhere, Map<String, List<EventListener>> byChannel,
                        Map<EventListener, Set<String>> narrowed) {
        this.everywhere = everywhere;
        this.byChannel = byChannel;
        this.narrowed = narrowed;
    }

    boolean isEmpty() {
        return everywhere.isEmpty() && narrowed.isEmpty();
    }

    /** These routes with {@code listener} taking every event ({@code channels} empty) or those of {@code channels}. */
    EventRoutes with(EventListener listener, Set<String> channels) {
        EventRoutes without = without(listener);
        if (channels.isEmpty()) {
            List<EventListener> all = new ArrayList<>(without.everywhere);
            all.add(listener);
            return new EventRoutes(List.copyOf(all), without.byChannel, without.narrowed);
        }
        Map<String, List<EventListener>> index = new HashMap<>(without.byChannel);
        Set<String> keys = new HashSet<>();
        for (String channel : channels) {
            String key = channel.toLowerCase(Locale.ROOT);
            keys.add(key);
            List<EventListener> those = new ArrayList<>(index.getOrDefault(key, List.of()));
            those.add(listener);
            index.put(key, List.copyOf(those));
        }
        Map<EventListener, Set<String>> n = new HashMap<>(without.narrowed);
        n.put(listener, Set.copyOf(keys));
        return new EventRoutes(without.everywhere, Map.copyOf(index), Map.copyOf(n));
    }

    /** These routes without {@code listener}. */
    EventRoutes without(EventListener listener) {
        Set<String> keys = narrowed.get(listener);
        if (keys == null) {
            if (!everywhere.contains(listener)) {
                return this;
            }
            List<EventListener> all = new ArrayList<>(everywhere);
            all.remove(listener);
            return new EventRoutes(List.copyOf(all), byChannel, narrowed);
        }
        Map<String, List<EventListener>> index = new HashMap<>(byChannel);
        for (String key : keys) {
            List<EventListener> those = new ArrayList<>(index.get(key));
            those.remove(listener);
            if (those.isEmpty()) {
                index.remove(key);
            } else {
                index.put(key, List.copyOf(those));
            }
        }
        Map<EventListener, Set<String>> n = new HashMap<>(narrowed);
        n.remove(listener);
        return new EventRoutes(everywhere, Map.copyOf(index), Map.copyOf(n));
    }

    /**
     * The listeners {@code event} may go to (each decides for itself): every unnarrowed one, and those narrowed to
     * its channel (its Unique-ID) or, for a background job, to the channel that owns the job.
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
        all.addAll(mine);
        for (EventListener l : owner) {
            if (!mine.contains(l)) {
                all.add(l);
            }
        }
        return all;
    }

    private List<EventListener> channel(String uuid) {
        return uuid == null ? List.of() : byChannel.getOrDefault(uuid.toLowerCase(Locale.ROOT), List.of());
    }
}
