package org.switchboard.container.sip;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.switchboard.executors.SerialExecutor;

/**
 * One {@link SerialExecutor} per call (Call-ID) while the call holds something (a pending request, a dialog):
 * a call's application code never races itself, different calls run in parallel.
 */
final class Lanes {

    private final Executor base;
    private final Map<String, Lane> lanes = new HashMap<>();

    private static final class Lane {
        final SerialExecutor executor;
        int holders;

        Lane(SerialExecutor executor) {
            this.executor = executor;
        }
    }

    Lanes(Executor base) {
        this.base = base;
    }

    /** Runs {@code task} on the call's lane. */
    synchronized void execute(String callId, Runnable task) {
        lanes.computeIfAbsent(callId, k -> new Lane(new SerialExecutor(base))).executor.execute(task);
    }

    /** Something of the call needs the lane kept. */
    synchronized void hold(String callId) {
        lanes.computeIfAbsent(callId, k -> new Lane(new SerialExecutor(base))).holders++;
    }

    /** Something of the call ended; the lane goes when nothing holds it. */
    synchronized void release(String callId) {
        Lane lane = lanes.get(callId);
        if (lane != null && --lane.holders <= 0) {
            lanes.remove(callId);
        }
    }

    synchronized int size() {
        return lanes.size();
    }
}
