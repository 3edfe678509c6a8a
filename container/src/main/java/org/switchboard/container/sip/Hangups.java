package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.SentMessage;
import org.switchboard.sip.message.SipResponse;

/**
 * Calls ended from outside their applications: by a drain that ran out of time, by a shutdown, or by an operator.
 * Dialogs get a BYE whose Reason says why, requests not answered yet 480.
 *
 * <p>Threads: any; what it reads is in {@link Calls}, which guards it.
 */
final class Hangups {

    private static final Logger LOG = LoggerFactory.getLogger(Hangups.class);

    private final Calls calls;
    private final BiFunction<PendingRequest, SipResponse, CompletableFuture<SentMessage>> respond;

    Hangups(Calls calls, BiFunction<PendingRequest, SipResponse, CompletableFuture<SentMessage>> respond) {
        this.calls = calls;
        this.respond = respond;
    }

    /** The pending requests and dialogs of the applications {@code which} takes. */
    int count(Predicate<Application> which) {
        return calls.dialogs(d -> which.test(d.application)).size()
                + calls.pending(i -> i.application != null && which.test(i.application)).size();
    }

    /** Ends the calls of {@code apps}; one stage per BYE or 480 sent. */
    List<CompletableFuture<?>> endCalls(Predicate<Application> apps, String why) {
        return end(calls.dialogs(d -> apps.test(d.application)), calls.pending(i -> i.application != null && apps.test(i.application)),
                why);
    }

    /**
     * Hangs up one call as an operator asks; the INVITEs its applications sent that have no final response yet get
     * a CANCEL (the application sees its request canceled). False when no call in progress has that Call-ID.
     */
    boolean hangUp(String callId, String why) {
        List<CallDialog> ds = calls.dialogs(d -> d.call.id.equals(callId));
        List<PendingRequest> ins = calls.pending(i -> i.call.id.equals(callId));
        List<Outgoing> invites = calls.outgoing(o -> o.isNewInvite() && o.call() != null && o.call().id.equals(callId));
        if (ds.isEmpty() && ins.isEmpty() && invites.isEmpty()) {
            return false;
        }
        LOG.info("SBC-140 call-id={} hung up by an operator: {} dialogs, {} requests, {} INVITEs sent", callId, ds.size(),
                ins.size(), invites.size());
        end(ds, ins, why);
        invites.forEach(o -> o.result.cancel(false));
        return true;
    }

    private List<CompletableFuture<?>> end(List<CallDialog> ds, List<PendingRequest> ins, String why) {
        Map<String, String> reason = Map.of("Reason", "SIP;cause=480;text=\"" + why.replace("\"", "'") + "\"");
        List<CompletableFuture<?>> sent = new ArrayList<>();
        ds.forEach(d -> sent.add(d.destroy(reason).toCompletableFuture()));
        ins.forEach(i -> sent.add(respond.apply(i, Wire.response(480)).exceptionally(e -> null)));
        return sent;
    }
}
