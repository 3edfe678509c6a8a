package org.switchboard.executors;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Serial lanes by key (a Call-ID): tasks of one key run one at a time in submission order, different keys in
 * parallel. A key's lane exists only while it has tasks queued or running, so nothing is kept for a call whose
 * work is done, and a lane never has to be told that its call ended.
 *
 * <p>Ordering holds across a lane's removal: the lane goes only when its last task has finished, under the same
 * map operation that a new task of the key would use to find it.
 *
 * @param <K> the key type
 */
public final class KeyedLanes<K> {

    private final Executor base;
    private final ConcurrentHashMap<K, Lane> lanes = new ConcurrentHashMap<>();

    private final class Lane {
        final SerialExecutor executor = new SerialExecutor(base);
        int tasks; // queued or running; changed only inside a map operation on this lane's key
    }

    /** Lanes on {@code base}. */
    public KeyedLanes(Executor base) {
        this.base = base;
    }

    /** Runs {@code task} on the lane of {@code key}, after the key's earlier tasks. */
    public void execute(K key, Runnable task) {
        Lane lane = lanes.compute(key, (k, existing) -> {
            Lane l = existing != null ? existing : new Lane();
            l.tasks++;
            return l;
        });
        lane.executor.execute(() -> {
            try {
                task.run();
            } finally {
                lanes.computeIfPresent(key, (k, l) -> --l.tasks == 0 ? null : l);
            }
        });
    }

    /** How many keys have work now. */
    public int size() {
        return lanes.size();
    }
}
