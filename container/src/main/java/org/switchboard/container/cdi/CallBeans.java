package org.switchboard.container.cdi;

import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code @CallScoped} instances of one application for one call (and the calls it started from it).
 *
 * <p>Threads: the lanes of the calls that share it may use it at once: lookups are lock-free, an instance is
 * made under this object's monitor (so at most once; making one may make others it injects).
 */
final class CallBeans {

    private static final Logger LOG = LoggerFactory.getLogger(CallBeans.class);

    private record Made<T>(Contextual<T> bean, T instance, CreationalContext<T> creation) {
        void destroy() {
            bean.destroy(instance, creation);
        }
    }

    private final Map<Contextual<?>, Made<?>> instances = new ConcurrentHashMap<>();

    /** The instance of {@code bean}, or empty when none was made. */
    @SuppressWarnings("unchecked")
    <T> java.util.Optional<T> find(Contextual<T> bean) {
        Made<?> made = instances.get(bean);
        return made == null ? java.util.Optional.empty() : java.util.Optional.of((T) made.instance());
    }

    /** The instance of {@code bean}, made with {@code creation} when there is none. */
    @SuppressWarnings("unchecked")
    <T> T get(Contextual<T> bean, CreationalContext<T> creation) {
        Made<?> made = instances.get(bean);
        if (made != null) {
            return (T) made.instance();
        }
        synchronized (this) {
            made = instances.get(bean);
            if (made == null) {
                made = new Made<>(bean, bean.create(creation), creation);
                instances.put(bean, made);
            }
            return (T) made.instance();
        }
    }

    /** Destroys the instance of {@code bean}, if there is one; the next use makes a new one. */
    void destroy(Contextual<?> bean) {
        Made<?> made = instances.remove(bean);
        if (made != null) {
            destroy(made);
        }
    }

    /** Destroys every instance: the call has ended. */
    void destroy() {
        List<Made<?>> all;
        synchronized (this) {
            all = new ArrayList<>(instances.values());
            instances.clear();
        }
        all.forEach(CallBeans::destroy);
    }

    private static void destroy(Made<?> made) {
        try {
            made.destroy();
        } catch (RuntimeException e) {
            LOG.warn("SBC-309 @CallScoped {}: destroying it failed", made.bean(), e);
        }
    }

    /** How many instances the call holds. */
    int size() {
        return instances.size();
    }
}
