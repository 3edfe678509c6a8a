package org.switchboard.container.cdi;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.spi.AlterableContext;
import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.lang.annotation.Annotation;
import java.util.Optional;
import java.util.function.Supplier;
import org.switchboard.sip.app.CallScoped;

/**
 * The {@link CallScoped} context of one application: its instances live in the {@link CallBeans} of the call the
 * application handles on the current thread, and the context is active exactly when there is one.
 *
 * <p>Threads: any; what is active is the current thread's call.
 */
final class CallContext implements AlterableContext {

    private final Supplier<Optional<CallBeans>> current;

    /** A context whose instances are those of {@code current}'s beans, empty outside a call. */
    CallContext(Supplier<Optional<CallBeans>> current) {
        this.current = current;
    }

    @Override
    public Class<? extends Annotation> getScope() {
        return CallScoped.class;
    }

    @Override
    public <T> T get(Contextual<T> contextual, CreationalContext<T> creationalContext) {
        return beans().get(contextual, creationalContext);
    }

    @Override
    public <T> T get(Contextual<T> contextual) {
        return beans().find(contextual).orElse(null);
    }

    @Override
    public void destroy(Contextual<?> contextual) {
        beans().destroy(contextual);
    }

    @Override
    public boolean isActive() {
        return current.get().isPresent();
    }

    private CallBeans beans() {
        return current.get().orElseThrow(() -> new ContextNotActiveException(
                "@CallScoped is active only while the container runs the application's handling of a call"));
    }
}
