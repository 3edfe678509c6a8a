package org.switchboard.container.sip;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.switchboard.drachtio.client.ReceivedRequest;
import org.switchboard.sip.message.SipRequest;

/**
 * A request from the network waiting for its application's answer (a server transaction). It belongs to its
 * {@link Call} until answered, canceled or proxied; the answer goes back on the request's own transaction.
 */
final class PendingRequest {

    final ReceivedRequest received;
    final SipRequest request;
    final Call call;
    final Application application;
    /** When it arrived ({@link System#nanoTime()}), for the answer time. */
    final long receivedNanos = System.nanoTime();
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    /** Completes when the caller CANCELed (the server already answered 487). */
    final CompletableFuture<Void> canceled = new CompletableFuture<>();
    /** Set by the first final response; later ones are refused locally. */
    final AtomicBoolean finalSent = new AtomicBoolean();
    /** The answer deadline, canceled when the request is done with. */
    volatile ScheduledFuture<?> deadline;

    PendingRequest(ReceivedRequest received, Call call, Application application) {
        this.received = received;
        this.request = received.request();
        this.call = call;
        this.application = application;
    }

    String transactionId() {
        return received.transactionId();
    }

    boolean isAnswered() {
        return finalSent.get();
    }
}
