package org.switchboard.drachtio.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transaction.ServerTransaction;

/**
 * The network requests waiting for an app's answer, by the transaction id the app knows and by their server
 * transaction (for CANCEL). Each is parked for at most the park time; then it is answered 408 (200 for a BYE,
 * whose dialog is gone already).
 *
 * <p>Threads: the maps are concurrent. Requests are parked by the SIP event loop that received them (or the
 * resolver thread that finished an HTTP routing decision) and unparked, under the {@link OfferedRequest}'s monitor, by
 * whichever of the app's event loop, a SIP event loop (CANCEL), the timer thread (park timeout) or the departing
 * app's event loop answers first.
 */
final class ParkedRequests {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedRequests.class);

    private final Map<String, OfferedRequest> byTxnId = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, OfferedRequest> byTx = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Duration parkTime;
    private final AppDialogs dialogs;

    ParkedRequests(ScheduledExecutorService timer, Duration parkTime, AppDialogs dialogs) {
        this.timer = timer;
        this.parkTime = parkTime;
        this.dialogs = dialogs;
    }

    /**
     * Parks a request handed to an app until its final answer; refused at once when the app has gone meanwhile, since
     * its departure's {@link #refuseAllOf} may have run before this request was parked (an app's BYE then waited
     * the whole park time for its answer: DepartureRaceIT).
     */
    void park(OfferedRequest in) {
        byTxnId.put(in.txnId, in);
        byTx.put(in.tx, in);
        in.park = timer.schedule(() -> expired(in), parkTime.toMillis(), TimeUnit.MILLISECONDS);
        if (!in.app.isActive()) {
            answerInstead(in, 480);
        }
    }

    OfferedRequest get(String txnId) {
        return byTxnId.get(txnId);
    }

    Optional<OfferedRequest> forTransaction(ServerTransaction tx) {
        return Optional.ofNullable(byTx.get(tx));
    }

    /** The parked requests, for scans by Call-ID or by app (few at a time per app, so a scan is cheap enough). */
    List<OfferedRequest> all() {
        return List.copyOf(byTxnId.values());
    }

    /** Marks a request answered and forgets it; callers hold its monitor. */
    void unpark(OfferedRequest in) {
        in.finalSent = true;
        byTxnId.remove(in.txnId, in);
        byTx.remove(in.tx, in);
        if (in.park != null) {
            in.park.cancel(false);
        }
    }

    /**
     * Answers the requests an app had not answered when it went away with 480 (drachtio-server would leave them
     * unanswered), ending the early dialogs they had.
     */
    void refuseAllOf(AppConnection app) {
        for (OfferedRequest in : all()) {
            if (in.app == app) {
                answerInstead(in, 480);
            }
        }
    }

    int size() {
        return byTxnId.size();
    }

    Stream<String> callIds() {
        return byTxnId.values().stream().map(in -> in.tx.request().callId().orElse(""));
    }

    /** The size of the index by server transaction: the same as {@link #size()} unless one of them leaks. */
    int transactions() {
        return byTx.size();
    }

    private void expired(OfferedRequest in) {
        SipRequest request = in.tx.request();
        // the dialog of a BYE is gone already: confirm it rather than leave the peer retransmitting
        int status = request.isMethod("BYE") ? 200 : 408;
        if (answerInstead(in, status)) {
            LOG.debug("{} got no answer from {} within {} ms; answered {}", request.method(), in.app,
                    parkTime.toMillis(), status);
        }
    }

    /** Answers a request in place of its app, unless the app's answer came first; returns whether it did. */
    private boolean answerInstead(OfferedRequest in, int status) {
        synchronized (in) {
            if (in.finalSent) {
                return false;
            }
            unpark(in);
        }
        MessageRules.respond(in.tx, status, in.localTag);
        if (in.early != null) {
            dialogs.end(in.early);
        }
        return true;
    }
}
