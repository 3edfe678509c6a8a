package org.switchboard.sip.stack.ua;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * A UAS's wait for the ACK of its 2xx to an INVITE (RFC 3261 13.3.1.4): the 2xx goes out again at T1, doubling up to
 * T2, until {@link #acknowledge}; when no ACK has come after 64 T1 the wait gives up and runs its time-out action
 * (the owner then ends the call with BYE). The one implementation of this rule: the user agent and the embedded
 * drachtio server both start it, and {@link DialogState#awaitAck} keeps it with its dialog.
 *
 * <p>Threads: thread-safe; the resends and the time-out run on the scheduler's thread, {@link #acknowledge} on any.
 */
public final class AckWait {

    /** Over which transports the 2xx is sent again. */
    public enum Resend {
        /** Whatever the transport, as RFC 3261 13.3.1.4 asks (a hop beyond the first may be UDP). */
        ANY_TRANSPORT,
        /** Over UDP only, as drachtio-server does; over TCP the ACK is still awaited. */
        UNRELIABLE_ONLY
    }

    private final ScheduledExecutorService scheduler;
    private final SipResponse ok;
    private final Runnable resend;
    private final Runnable timedOut;
    private final long limit;
    private final long t2;
    private boolean done;
    private ScheduledFuture<?> next;

    private AckWait(TimerConfig timers, ScheduledExecutorService scheduler, SipResponse ok, Runnable resend,
                    Runnable timedOut) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ok = Objects.requireNonNull(ok, "ok");
        this.resend = Objects.requireNonNull(resend, "resend");
        this.timedOut = Objects.requireNonNull(timedOut, "timedOut");
        this.limit = timers.transactionTimeout().toMillis();
        this.t2 = timers.t2().toMillis();
    }

    /**
     * Starts waiting for the ACK of {@code ok}, just sent on {@code stack} for {@code invite}; {@code timedOut} runs
     * on the scheduler's thread if none comes within 64 T1.
     */
    public static AckWait start(SipStack stack, ScheduledExecutorService scheduler, IncomingMessage invite,
                                SipResponse ok, Resend resend, Runnable timedOut) {
        Objects.requireNonNull(invite, "invite");
        boolean again = Objects.requireNonNull(resend, "resend") == Resend.ANY_TRANSPORT || !invite.transport().isReliable();
        return start(stack.transactions().timers(), scheduler, ok, () -> {
            if (again) {
                stack.transport().sendResponse(ok, invite);
            }
        }, timedOut);
    }

    /**
     * Starts waiting for the ACK of {@code ok}: {@code resend} runs at T1, doubling up to T2, and {@code timedOut}
     * once if no ACK has come after 64 T1, both on the scheduler's thread ({@code timers} gives T1, T2 and 64 T1).
     */
    public static AckWait start(TimerConfig timers, ScheduledExecutorService scheduler, SipResponse ok,
                                Runnable resend, Runnable timedOut) {
        AckWait wait = new AckWait(Objects.requireNonNull(timers, "timers"), scheduler, ok, resend, timedOut);
        wait.schedule(timers.t1().toMillis(), 0);
        return wait;
    }

    /** The 2xx this wait sends again. */
    public SipResponse response() {
        return ok;
    }

    /** The ACK came (or the dialog ended): nothing more is sent and the time-out does not run; idempotent. */
    public synchronized void acknowledge() {
        done = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void schedule(long interval, long elapsed) {
        if (done) {
            return;
        }
        long wait = Math.min(interval, limit - elapsed);
        next = scheduler.schedule(() -> fire(interval, elapsed + wait), wait, TimeUnit.MILLISECONDS);
    }

    private void fire(long interval, long elapsed) {
        synchronized (this) {
            if (done) {
                return;
            }
            if (elapsed < limit) {
                resend.run();
                schedule(Math.min(interval * 2, t2), elapsed);
                return;
            }
            done = true;
        }
        timedOut.run();
    }
}
