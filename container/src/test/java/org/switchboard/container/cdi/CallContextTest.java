package org.switchboard.container.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.app.CallScoped;

/** The call scope's context on its own: which call's instances it gives, and when it is active. */
class CallContextTest {

    private Optional<CallBeans> current = Optional.empty();
    private final CallContext context = new CallContext(() -> current);

    /** A bean whose instances are numbered, and which records the ones destroyed. */
    static class Counter implements Contextual<Object> {
        final AtomicInteger made = new AtomicInteger();
        final List<Object> destroyed = new ArrayList<>();

        @Override
        public Object create(CreationalContext<Object> creationalContext) {
            return "instance " + made.incrementAndGet();
        }

        @Override
        public void destroy(Object instance, CreationalContext<Object> creationalContext) {
            destroyed.add(instance);
        }
    }

    private static final CreationalContext<Object> CREATION = new CreationalContext<>() {
        @Override
        public void push(Object incompleteInstance) {
        }

        @Override
        public void release() {
        }
    };

    @Test
    void outsideACallTheContextIsNotActive() {
        Counter bean = new Counter();
        assertThat(context.getScope()).isEqualTo(CallScoped.class);
        assertThat(context.isActive()).isFalse();
        assertThatThrownBy(() -> context.get(bean, CREATION)).isInstanceOf(ContextNotActiveException.class);
        assertThatThrownBy(() -> context.get(bean)).isInstanceOf(ContextNotActiveException.class);
        assertThat(bean.made).hasValue(0);
    }

    @Test
    void oneCallHasOneInstanceAndAnotherCallItsOwn() {
        Counter bean = new Counter();
        CallBeans a = new CallBeans();
        CallBeans b = new CallBeans();
        current = Optional.of(a);
        assertThat(context.isActive()).isTrue();
        assertThat(context.get(bean)).isNull();
        Object inA = context.get(bean, CREATION);
        assertThat(context.get(bean, CREATION)).isSameAs(inA);
        assertThat(context.get(bean)).isSameAs(inA);
        current = Optional.of(b);
        assertThat(context.get(bean, CREATION)).isNotEqualTo(inA);
        assertThat(bean.made).hasValue(2);
    }

    @Test
    void theCallsEndDestroysItsInstancesOnce() {
        Counter one = new Counter();
        Counter two = new Counter();
        CallBeans call = new CallBeans();
        current = Optional.of(call);
        Object first = context.get(one, CREATION);
        Object second = context.get(two, CREATION);
        call.destroy();
        assertThat(one.destroyed).containsExactly(first);
        assertThat(two.destroyed).containsExactly(second);
        assertThat(call.size()).isZero();
        call.destroy();
        assertThat(one.destroyed).hasSize(1);
    }

    @Test
    void destroyingOneBeanLetsTheNextUseMakeANewInstance() {
        Counter bean = new Counter();
        current = Optional.of(new CallBeans());
        Object first = context.get(bean, CREATION);
        context.destroy(bean);
        assertThat(bean.destroyed).containsExactly(first);
        assertThat(context.get(bean, CREATION)).isNotEqualTo(first);
    }

    @Test
    void aFailingPreDestroyDoesNotKeepTheOthersAlive() {
        Counter kept = new Counter();
        Contextual<Object> failing = new Counter() {
            @Override
            public void destroy(Object instance, CreationalContext<Object> creationalContext) {
                throw new IllegalStateException("@PreDestroy failed on purpose");
            }
        };
        CallBeans call = new CallBeans();
        current = Optional.of(call);
        context.get(failing, CREATION);
        Object other = context.get(kept, CREATION);
        call.destroy();
        assertThat(kept.destroyed).containsExactly(other);
    }
}
