package org.switchboard.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ServerTransaction;

/**
 * A 2xx to an INVITE that this side keeps sending until its ACK comes (RFC 3261 section 13.3.1.4): over UDP again at
 * T1, 2 T1, ... capped at T2 (the transport retransmits nothing on TCP); given up after 64 T1. Runs on the phone's lane.
 */
final class Reliable2xx {

    private final Phone phone;
    private final ServerTransaction tx;
    private final SipResponse ok;
    private final Runnable givenUp;
    private final CompletableFuture<Void> acked = new CompletableFuture<>();
    private ScheduledFuture<?> timer;

    private Reliable2xx(Phone phone, ServerTransaction tx, SipResponse ok, Runnable givenUp) {
        this.phone = phone;
        this.tx = tx;
        this.ok = ok;
        this.givenUp = givenUp;
    }

    /** Sends {@code ok} and keeps sending it; {@code givenUp} runs when no ACK came in 64 T1. */
    static Reliable2xx send(Phone phone, ServerTransaction tx, SipResponse ok, Runnable givenUp) {
        Reliable2xx r = new Reliable2xx(phone, tx, ok, givenUp);
        phone.respond(tx, ok);
        if (phone.config.transport() == SipTransport.UDP) {
            r.again(phone.config.t1().toMillis(), 0);
        }
        return r;
    }

    private void again(long interval, long elapsed) {
        long t1 = phone.config.t1().toMillis();
        timer = phone.lane.schedule(() -> {
            if (acked.isDone()) {
                return;
            }
            if (elapsed + interval >= 64 * t1) {
                acked.completeExceptionally(new IllegalStateException("no ACK for the 200 within 64 T1"));
                givenUp.run();
                return;
            }
            phone.respond(tx, ok);
            again(Math.min(interval * 2, 8 * t1), elapsed + interval);
        }, interval, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code cseq} is this 2xx's; if so, it is acknowledged. */
    boolean ack(long cseq) {
        if (tx.request().cseq().number() != cseq) {
            return false;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        acked.complete(null);
        return true;
    }

    /** Completes when the ACK came; exceptionally when it did not in 64 T1. */
    CompletableFuture<Void> acked() {
        return acked;
    }
}
