package org.switchboard.executors;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors user callbacks run on: one virtual thread per task when the JVM has them (Java 21+), else views of
 * one process-wide pool of platform threads.
 *
 * <p>Before Java 21 every executor this class creates hands its tasks to the same pool, which starts a thread only
 * when none is idle and ends threads that stay idle for a minute. A pool per executor would hold threads that
 * mostly sleep: a thousand event-socket sessions (one per call in outbound mode) with a few threads each made
 * thousands of threads, and each one started while the JVM stops for a safepoint held every other thread, the
 * media clock among them, until it got a core (docs/benchmarks.md).
 */
public final class CallbackExecutors {

    private static final long IDLE_SECONDS = 60;

    private CallbackExecutors() {
    }

    /**
     * A new executor with its own life cycle: shutting it down refuses its later tasks and lets its running ones
     * finish, without touching any other executor. {@code name} names it in the error a refused task gets.
     */
    public static ExecutorService create(String name) {
        if (Executors21.VIRTUAL == null) {
            return new PooledView(name);
        }
        try {
            return (ExecutorService) Executors21.VIRTUAL.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread executor", e);
        }
    }

    // Java 21+: looked up reflectively because the bytecode targets 17
    private static final class Executors21 {
        static final Method VIRTUAL = lookUp();

        private static Method lookUp() {
            try {
                return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }

    private static final class SharedPool {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger n = new AtomicInteger();
            return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "callbacks-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
        }
    }

    /** One owner's share of the pool: its own shutdown, its own count of running tasks. */
    private static final class PooledView extends AbstractExecutorService {
        private final String name;
        private final Object lock = new Object();
        private int running;
        private boolean shutdown;

        PooledView(String name) {
            this.name = name;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (lock) {
                if (shutdown) {
                    throw new RejectedExecutionException(name + " is shut down");
                }
                running++;
            }
            try {
                SharedPool.POOL.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        finished();
                    }
                });
            } catch (RejectedExecutionException e) {
                finished();
                throw e;
            }
        }

        private void finished() {
            synchronized (lock) {
                if (--running == 0) {
                    lock.notifyAll();
                }
            }
        }

        @Override
        public void shutdown() {
            synchronized (lock) {
                shutdown = true;
                lock.notifyAll();
            }
        }

        /** Refuses later tasks; running ones are not interrupted (they belong to other owners' threads too). */
        @Override
        public List<Runnable> shutdownNow() {
            shutdown();
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            synchronized (lock) {
                return shutdown;
            }
        }

        @Override
        public boolean isTerminated() {
            synchronized (lock) {
                return shutdown && running == 0;
            }
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            synchronized (lock) {
                while (!(shutdown && running == 0)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                return true;
            }
        }
    }
}
