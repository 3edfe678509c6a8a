package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.switchboard.executors.SerialExecutor;

/**
 * One call (one Call-ID) in the container: the owner of everything the call holds, its pending requests,
 * its dialogs and the requests its applications sent, of what its applications attach to it, and of its serial lane. The call ends when it holds
 * nothing any more; it then leaves the {@link Calls} registry and runs its end actions, after which nothing of
 * it is reachable from the container (tasks already queued on its lane still run).
 *
 * <p>Threads: the maps and the ended flag are guarded by the {@link Calls} registry's monitor; the lane takes
 * tasks from any thread and runs them one at a time off the I/O threads.
 */
final class Call {

    // the call whose lane runs the current thread's task, if any

    final String id;
    // its messages and media events, for the ladder: retired to the ring of ended calls when the call ends
    final CallCapture capture;
    private final SerialExecutor lane;
    final Map<String, PendingRequest> pending = new HashMap<>(2);
    final Map<String, CallDialog> dialogs = new HashMap<>(2);
    final Map<String, Outgoing> outgoing = new HashMap<>(2);
    final List<Runnable> endActions = new ArrayList<>(0);
    // what each application keeps for the call (its call scope), shared with the calls it started from this one
    final Map<Application, CallAttachment> attachments = new HashMap<>(1);
    boolean ended;
    // what the call's log line says (CallLog); guarded like the maps
    final long started = System.nanoTime();
    String application;
    int legs;
    boolean invite; // an INVITE was received or sent: the call is a call, not a REGISTER or an OPTIONS
    int status; // the final status of the call's first INVITE, 0 until there is one
    String endReason;
    boolean logged;

    Call(String id, Executor executor, CallCapture capture) {
        this.id = id;
        this.capture = capture;
        this.lane = new SerialExecutor(executor);
    }

    /** Runs {@code task} on the call's lane, after the call's earlier tasks. */
    void execute(Runnable task) {
        lane.execute(task);
    }

    boolean holdsNothing() {
        return pending.isEmpty() && dialogs.isEmpty() && outgoing.isEmpty();
    }

    @Override
    public String toString() {
        return "Call[" + id + ": " + pending.size() + " pending, " + dialogs.size() + " dialogs, " + outgoing.size()
                + " sent" + (ended ? ", ended" : "") + "]";
    }
}
