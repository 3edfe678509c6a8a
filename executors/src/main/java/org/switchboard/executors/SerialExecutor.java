package org.switchboard.executors;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the lane of one call (or channel), so
 * that its events never race each other while different calls run in parallel.
 */
public final class SerialExecutor implements Executor {

    private final Executor base;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    /** A lane on {@code base}. */
    public SerialExecutor(Executor base) {
        this.base = base;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        base.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // a failing task must not stop the lane; the task's owner reports its own errors
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
