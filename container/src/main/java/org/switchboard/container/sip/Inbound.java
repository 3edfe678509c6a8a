package org.switchboard.container.sip;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.sip.message.SipRequest;

/** A request from the network waiting for the application's answer (a server transaction, spec 3.4.1). */
final class Inbound {

    final DrachtioClient client;
    final String transactionId;
    final SipRequest request;
    final Application application;
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    /** Completes when the caller CANCELed (the server already answered 487). */
    final CompletableFuture<Void> canceled = new CompletableFuture<>();
    /** Set by the first final response; later ones are refused locally. */
    final AtomicBoolean finalSent = new AtomicBoolean();
    /** The answer deadline, canceled when the request is done with. */
    volatile ScheduledFuture<?> deadline;

    Inbound(DrachtioClient client, String transactionId, SipRequest request, Application application) {
        this.client = client;
        this.transactionId = transactionId;
        this.request = request;
        this.application = application;
    }

    String callId() {
        return request.callId().orElse("");
    }

    boolean isAnswered() {
        return finalSent.get();
    }
}
