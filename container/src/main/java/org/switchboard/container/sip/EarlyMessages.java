package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.switchboard.drachtio.client.SentMessage;

/**
 * Finds the request or dialog a message from the server belongs to, and holds the message when it came before
 * them. Both races are real: the server's report that it sent our request can come after the response to it,
 * and a request in a new dialog can come before the report of the 200 that made the dialog. A held message is
 * replayed when what it belongs to is registered, and dropped after {@value #HOLD_MILLIS} ms.
 *
 * <p>Threads: any; a lookup and its hold, and a registration and its replay, are each atomic under this object's
 * monitor (so a message either finds what it belongs to or is held for it); replays run outside it.
 */
final class EarlyMessages {

    // the server's own transaction gives up by then (RFC 3261 Timer B/F)
    private static final long HOLD_MILLIS = 32_000;

    private record Held(long since, boolean response, List<Runnable> replays) {
    }

    private final Calls calls;
    // by transaction or dialog id, oldest first
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();
    // requests sent whose report from the server has not come back: only while there are some can a response
    // belong to a request not yet registered
    private int unconfirmed;

    EarlyMessages(Calls calls) {
        this.calls = calls;
    }

    /**
     * Gives {@code found} the request in progress a response belongs to; if there is none yet but one may still be
     * registered, holds {@code replay} for it, else runs {@code none}. The callbacks run outside the monitor.
     */
    void outgoing(String callId, String transactionId, Consumer<Outgoing> found, Runnable replay, Runnable none) {
        Optional<Outgoing> op;
        synchronized (this) {
            op = calls.outgoing(callId, transactionId);
            if (op.isEmpty() && unconfirmed > 0) {
                hold(transactionId, true, replay);
                return;
            }
        }
        op.ifPresentOrElse(found, none);
    }

    /**
     * Gives {@code found} the dialog an in-dialog request belongs to; if there is none yet but the call is making
     * one, holds {@code replay} for it, else runs {@code none}. The callbacks run outside the monitor.
     */
    void dialog(String callId, String dialogId, Consumer<CallDialog> found, Runnable replay, Runnable none) {
        Optional<CallDialog> dialog;
        synchronized (this) {
            dialog = calls.dialog(callId, dialogId);
            if (dialog.isEmpty() && calls.hasPending(callId)) {
                hold(dialogId, false, replay);
                return;
            }
        }
        dialog.ifPresentOrElse(found, none);
    }

    /** Registers {@code dialog}, made by {@code in} (or by a request the application sent), and replays what waited for it. */
    void register(CallDialog dialog, PendingRequest in) {
        Held h;
        synchronized (this) {
            calls.addDialog(dialog, in);
            h = held.remove(dialog.id());
        }
        replay(h);
    }

    /** Registers a request sent, and replays the responses that waited for it. */
    void register(Call call, String transactionId, Outgoing op) {
        Held h;
        synchronized (this) {
            calls.addOutgoing(call, transactionId, op);
            h = held.remove(transactionId);
        }
        replay(h);
    }

    /**
     * Sends a request through {@code send}, counted until the server's report of it is back; {@code reported} then
     * takes the report (it registers the request, replaying a response held for it) or the failure.
     */
    void send(Supplier<CompletableFuture<SentMessage>> send, Consumer<SentMessage> reported, Consumer<Throwable> failed) {
        synchronized (this) {
            unconfirmed++;
        }
        send.get().whenComplete((reply, error) -> {
            if (error != null) {
                failed.accept(error);
            } else {
                reported.accept(reply);
            }
            synchronized (this) {
                if (--unconfirmed == 0) {
                    // nothing can claim a response that is still held now
                    held.values().removeIf(Held::response);
                }
            }
        });
    }

    /** How many transactions or dialogs have messages held for them. */
    synchronized int size() {
        return held.size();
    }

    private void hold(String key, boolean response, Runnable replay) {
        long now = System.currentTimeMillis();
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            if (now - it.next().since <= HOLD_MILLIS) {
                break;
            }
            it.remove();
        }
        held.computeIfAbsent(key, k -> new Held(now, response, new ArrayList<>())).replays.add(replay);
    }

    private static void replay(Held h) {
        if (h != null) {
            h.replays.forEach(Runnable::run);
        }
    }
}
