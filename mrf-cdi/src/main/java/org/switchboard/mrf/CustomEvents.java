package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.switchboard.sip.media.EslEvent;

/** An endpoint's CUSTOM event subclasses: the ones its connection subscribed to, and the listeners of each. */
final class CustomEvents {

    private final Map<String, List<Consumer<EslEvent>>> listeners = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

    /** The subclasses subscribed with the endpoint's first subscription. */
    CustomEvents(List<String> initial) {
        subscribed.addAll(initial);
    }

    /** The event names of the first subscription: {@code events} (ending in {@code CUSTOM}), then the subclasses. */
    String[] subscription(String[] events) {
        List<String> all = new ArrayList<>(List.of(events));
        subscribed.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return all.toArray(String[]::new);
    }

    /** The listeners of a CUSTOM event of {@code subclass}. */
    List<Consumer<EslEvent>> listeners(String subclass) {
        return listeners.getOrDefault(subclass, List.of());
    }

    /** Adds a listener; subscribes the subclass with {@code subscribe} unless it is subscribed. */
    CompletableFuture<Void> add(String subclass, Consumer<EslEvent> listener,
                                Function<String, CompletableFuture<Void>> subscribe) {
        MrfConfig.subclass(subclass);
        Objects.requireNonNull(listener, "listener");
        listeners.computeIfAbsent(subclass, k -> new CopyOnWriteArrayList<>()).add(listener);
        if (subscribed.contains(subclass)) {
            return CompletableFuture.completedFuture(null);
        }
        return subscribe.apply(subclass).thenRun(() -> subscribed.add(subclass));
    }

    void remove(String subclass, Consumer<EslEvent> listener) {
        listeners.getOrDefault(subclass, List.of()).remove(listener);
    }
}
