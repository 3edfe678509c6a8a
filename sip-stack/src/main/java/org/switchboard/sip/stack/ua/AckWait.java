package org.switchboard.sip.stack.ua;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * A UAS's wait for the ACK of its 2xx to an INVITE (RFC 3261 13.3.1.4): the 2xx goes out again at T1, doubling up to
 * T2, until {@link #acknowledge}; when no ACK has come after 64 T1 the wait gives up and runs its time-out action
 * (the owner then ends the call with BYE). The timers come from the stack's configuration. Thread-safe.
 */
public final class AckWait {

    /** Over which transports the 2xx is sent again. */
    public enum Resend {
        /** Whatever the transport, as RFC 3261 13.3.1.4 asks (a hop beyond the first may be UDP). */
        ANY_TRANSPORT,
        /** Over UDP only, as drachtio-server does; over TCP the ACK is still awaited. */
        UNRELIABLE_ONLY
    }

    private final SipStack stack;
    private final ScheduledExecutorService scheduler;
    private final IncomingMessage invite;
    private final SipResponse ok;
    private final Runnable timedOut;
    private final Resend resend;
    private final long limit;
    private boolean done;
    private ScheduledFuture<?> next;

    private AckWait(SipStack stack, ScheduledExecutorService scheduler, IncomingMessage invite, SipResponse ok,
                    Resend resend, Runnable timedOut) {
        this.resend = resend;
        this.stack = stack;
        this.scheduler = scheduler;
        this.invite = invite;
        this.ok = ok;
        this.timedOut = timedOut;
        this.limit = stack.transactions().timers().transactionTimeout().toMillis();
    }

    /**
     * Starts waiting for the ACK of {@code ok}, just sent for {@code invite}; {@code timedOut} runs on the
     * scheduler's thread if none comes within 64 T1.
     */
    public static AckWait start(SipStack stack, ScheduledExecutorService scheduler, IncomingMessage invite,
                                SipResponse ok, Resend resend, Runnable timedOut) {
        AckWait wait = new AckWait(Objects.requireNonNull(stack, "stack"), Objects.requireNonNull(scheduler, "scheduler"),
                Objects.requireNonNull(invite, "invite"), Objects.requireNonNull(ok, "ok"),
                Objects.requireNonNull(resend, "resend"), Objects.requireNonNull(timedOut, "timedOut"));
        wait.schedule(stack.transactions().timers().t1().toMillis(), 0);
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
                if (resend == Resend.ANY_TRANSPORT || !invite.transport().isReliable()) {
                    stack.transport().sendResponse(ok, invite);
                }
                schedule(Math.min(interval * 2, stack.transactions().timers().t2().toMillis()), elapsed);
                return;
            }
            done = true;
        }
        timedOut.run();
    }
}
