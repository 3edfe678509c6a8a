package org.switchboard.executors;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor user callbacks run on: virtual threads when the JVM has them, else a bounded pool. */
public final class CallbackExecutors {

    private static final int POOL_THREADS = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);

    private CallbackExecutors() {
    }

    /** A new executor; {@code name} prefixes the pool's thread names. */
    public static ExecutorService create(String name) {
        try {
            // Java 21+: one virtual thread per task; looked up reflectively because the bytecode targets 17
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            return Executors.newFixedThreadPool(POOL_THREADS, factory);
        }
    }
}
