package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.sip.message.SipRequest;

/**
 * The calls in progress, by Call-ID: the one registry of per-call state in the container. A call is opened by
 * the first thing it holds and removed, with its end actions run on its lane, when it holds nothing.
 *
 * <p>Threads: every method may be called from any thread; all state, the calls' maps included, is guarded by
 * this object's monitor, and no callback runs while it is held.
 */
final class Calls {

    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    private final Executor executor;
    private final CallCaptures captures;
    private final CallLog log;
    private final Map<String, Call> calls = new HashMap<>();

    Calls(Executor executor, CallCaptures captures, CallLog log) {
        this.executor = executor;
        this.captures = captures;
        this.log = log;
    }

    synchronized Call open(String callId) {
        return calls.computeIfAbsent(callId, id -> new Call(id, executor, captures.open(id)));
    }

    synchronized Optional<Call> find(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    // ---- what a call holds ----------------------------------------------------------------------------------

    /** Opens the request's call and adds the request to it. */
    synchronized PendingRequest addPending(String callId, java.util.function.Function<Call, PendingRequest> create) {
        Call call = open(callId);
        PendingRequest p = create.apply(call);
        call.pending.put(p.transactionId(), p);
        joined(call, p.application, p.request.method());
        return p;
    }

    /**
     * Since when ({@code System.nanoTime}) the oldest pending request not yet through its application's observers
     * waits, {@code Long.MAX_VALUE} when none does: a scan, for a load shedder that looks a few times a second. Time
     * an application takes after its observer returned (a B2BUA waiting for the far end) does not count.
     */
    synchronized long oldestPendingSince() {
        long oldest = Long.MAX_VALUE;
        for (Call c : calls.values()) {
            for (PendingRequest p : c.pending.values()) {
                if (!p.dispatched) {
                    oldest = Math.min(oldest, p.since);
                }
            }
        }
        return oldest;
    }

    /** Removes a pending request; true when it was still there. */
    boolean removePending(PendingRequest p) {
        return change(p.call, c -> c.pending.remove(p.transactionId(), p));
    }

    synchronized Optional<PendingRequest> pending(String callId, String transactionId) {
        Call call = calls.get(callId);
        return call == null ? Optional.empty() : Optional.ofNullable(call.pending.get(transactionId));
    }

    /** The pending request the application was given as {@code request} (the same object), if still pending. */
    synchronized Optional<PendingRequest> pending(SipRequest request) {
        Call call = calls.get(request.callId().orElse(""));
        if (call != null) {
            for (PendingRequest p : call.pending.values()) {
                if (p.request == request) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    synchronized boolean hasPending(String callId) {
        Call call = calls.get(callId);
        return call != null && !call.pending.isEmpty();
    }

    /** Adds a dialog to its call (the one of {@code made}, the request that made it, when there is one) and forgets {@code made}. */
    synchronized void addDialog(CallDialog dialog, PendingRequest made) {
        held(dialog.call).dialogs.put(dialog.id(), dialog);
        dialog.call.legs++;
        joined(dialog.call, dialog.application, dialog.method());
        if (made != null) {
            made.call.pending.remove(made.transactionId(), made);
        }
    }

    boolean removeDialog(CallDialog dialog) {
        return change(dialog.call, c -> c.dialogs.remove(dialog.id(), dialog));
    }

    /** The connection {@code call} came in on or was first sent through: where the legs its applications start go. */
    synchronized Optional<DrachtioClient> connection(Call call) {
        return Stream.concat(Stream.concat(call.pending.values().stream().map(p -> p.received.connection()),
                call.dialogs.values().stream().map(d -> d.client)), call.outgoing.values().stream().map(o -> o.client))
                .filter(Objects::nonNull).findFirst();
    }

    synchronized Optional<CallDialog> dialog(String callId, String dialogId) {
        Call call = calls.get(callId);
        return call == null ? Optional.empty() : Optional.ofNullable(call.dialogs.get(dialogId));
    }

    synchronized void addOutgoing(Call call, String transactionId, Outgoing op) {
        held(call).outgoing.put(transactionId, op);
        joined(call, op.application(), op.method());
    }

    private static void joined(Call call, Application app, String method) {
        if (call.application == null && app != null) {
            call.application = app.name();
        }
        call.invite |= method.equals("INVITE");
    }

    /** A final response to a {@code method} request of {@code call}, either way: the first to an INVITE is the call's status. */
    synchronized void answered(Call call, String method, int status) {
        if (call.status == 0 && method.equals("INVITE")) {
            call.status = status;
        }
    }

    /** A dialog of {@code call} ended for {@code reason}: the first one is how the call ended. */
    synchronized void dialogEnded(Call call, String reason) {
        if (call.endReason == null) {
            call.endReason = reason;
        }
    }

    /** {@code call}, back in the registry if it had ended meanwhile (its last request finished as it made a dialog). */
    private Call held(Call call) {
        if (call.ended && calls.putIfAbsent(call.id, call) == null) {
            call.ended = false;
            captures.revive(call.capture);
        }
        return call;
    }

    boolean removeOutgoing(Call call, String transactionId, Outgoing op) {
        return change(call, c -> c.outgoing.remove(transactionId, op));
    }

    synchronized Optional<Outgoing> outgoing(String callId, String transactionId) {
        Call call = calls.get(callId);
        return call == null ? Optional.empty() : Optional.ofNullable(call.outgoing.get(transactionId));
    }

    // ---- what applications attach --------------------------------------------------------------------------

    /** {@code app}'s attachment of {@code call}, a new one when it has none. */
    CallAttachment attachment(Call call, Application app) {
        CallAttachment a;
        boolean endedCall;
        synchronized (this) {
            a = call.attachments.get(app);
            if (a != null) {
                return a;
            }
            a = new CallAttachment();
            endedCall = join(call, app, a);
        }
        if (endedCall) {
            leaveAfterCurrentTasks(call, app, a);
        }
        return a;
    }

    /**
     * Makes {@code call}, started by {@code app} while it handled another call, hold that call's attachment
     * {@code shared} too, unless it already has one or every call of {@code shared} has ended meanwhile.
     */
    void share(Call call, Application app, CallAttachment shared) {
        boolean endedCall;
        synchronized (this) {
            if (shared.ended || call.attachments.containsKey(app)) {
                return;
            }
            endedCall = join(call, app, shared);
        }
        if (endedCall) {
            leaveAfterCurrentTasks(call, app, shared);
        }
    }

    /** Adds {@code a} to {@code call}, to be left when the call ends; true when it has ended already. */
    private boolean join(Call call, Application app, CallAttachment a) {
        call.attachments.put(app, a);
        a.calls++;
        if (call.ended) {
            return true;
        }
        call.endActions.add(() -> leave(call, app, a));
        return false;
    }

    // a call that ended before its application touched the scope (a CANCEL ahead of the INVITE's observer)
    private void leaveAfterCurrentTasks(Call call, Application app, CallAttachment a) {
        runOnLane(call, () -> leave(call, app, a));
    }

    private void leave(Call call, Application app, CallAttachment a) {
        synchronized (this) {
            call.attachments.remove(app, a);
            if (--a.calls > 0) {
                return;
            }
            a.ended = true;
        }
        a.end();
    }

    /** Adds an action to run when {@code call} ends; false (and nothing added) when it has ended already. */
    synchronized boolean addEndAction(Call call, Runnable action) {
        if (call.ended) {
            return false;
        }
        call.endActions.add(action);
        return true;
    }

    // ---- across calls ---------------------------------------------------------------------------------------

    synchronized List<CallDialog> dialogs(Predicate<CallDialog> which) {
        List<CallDialog> result = new ArrayList<>();
        calls.values().forEach(c -> c.dialogs.values().stream().filter(which).forEach(result::add));
        return result;
    }

    synchronized List<PendingRequest> pending(Predicate<PendingRequest> which) {
        List<PendingRequest> result = new ArrayList<>();
        calls.values().forEach(c -> c.pending.values().stream().filter(which).forEach(result::add));
        return result;
    }

    synchronized List<Outgoing> outgoing(Predicate<Outgoing> which) {
        List<Outgoing> result = new ArrayList<>();
        calls.values().forEach(c -> c.outgoing.values().stream().filter(which).forEach(result::add));
        return result;
    }

    /** The calls in progress, as the admin API lists them. */
    synchronized List<CallSummary> summaries() {
        List<CallSummary> result = new ArrayList<>(calls.size());
        for (Call c : calls.values()) {
            String state = !c.dialogs.isEmpty() ? "confirmed" : !c.pending.isEmpty() ? "trying" : "calling";
            String app = c.dialogs.values().stream().map(d -> d.application).findFirst()
                    .or(() -> c.pending.values().stream().map(p -> p.application).filter(java.util.Objects::nonNull).findFirst())
                    .map(Application::name).orElse(c.capture.application);
            captures.application(c.capture, app);
            result.add(captures.summary(c.capture, state));
        }
        return result;
    }

    /** Calls, dialogs, pending requests and sent requests in progress. */
    synchronized int[] counts() {
        int dialogs = 0;
        int pending = 0;
        int outgoing = 0;
        for (Call c : calls.values()) {
            dialogs += c.dialogs.size();
            pending += c.pending.size();
            outgoing += c.outgoing.size();
        }
        return new int[] {calls.size(), dialogs, pending, outgoing};
    }

    /** Applies a removal to {@code call}; ends the call when that left it holding nothing. */
    private boolean change(Call call, Predicate<Call> removal) {
        boolean removed;
        boolean ended = false;
        synchronized (this) {
            removed = removal.test(call);
            if (removed && call.holdsNothing() && !call.ended && calls.get(call.id) == call) {
                calls.remove(call.id);
                call.ended = true;
                ended = true;
                captures.retire(call.capture);
            }
        }
        if (ended) {
            end(call);
        }
        return removed;
    }

    private void end(Call call) {
        List<Runnable> actions;
        CallLog.Line line = null;
        synchronized (this) {
            actions = List.copyOf(call.endActions);
            call.endActions.clear();
            if (!call.logged) { // a call back for the BYE that ends it ends twice: one line
                call.logged = true;
                line = CallLog.Line.of(call);
            }
        }
        if (line != null) {
            log.ended(line);
        }
        actions.forEach(action -> runOnLane(call, action));
    }

    private static void runOnLane(Call call, Runnable action) {
        call.execute(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("SBC-201 call {}: an end action failed", call.id, e);
            }
        });
    }
}
