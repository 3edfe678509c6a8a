package org.switchboard.sip.stack.transaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;
import org.switchboard.sip.stack.transport.SipMeters;

/**
 * The transaction layer's meters, beside the transport's in the same {@link SipMeters}: transactions created and
 * live, by kind, and retransmissions sent by the state machines' timers (or for a retransmitted request) and received
 * (requests a server transaction absorbed), by method. Looked up once; the gauges are read when scraped.
 */
final class TransactionMeters {

    private final Counter clientsCreated;
    private final Counter serversCreated;
    private final Counter[] retransmissionsSent;
    private final Counter[] retransmissionsReceived;

    TransactionMeters(SipMeters meters, TransactionLayer layer) {
        clientsCreated = created(meters, "client");
        serversCreated = created(meters, "server");
        active(meters, layer, "client", TransactionLayer::clientTransactions);
        active(meters, layer, "server", TransactionLayer::serverTransactions);
        retransmissionsSent = meters.perMethod("sip.retransmissions.sent",
                "Requests and responses retransmitted by the transaction layer, by method", Tags.empty());
        retransmissionsReceived = meters.perMethod("sip.retransmissions.received",
                "Retransmitted requests a server transaction absorbed, by method", Tags.empty());
    }

    private static Counter created(SipMeters meters, String kind) {
        return Counter.builder("sip.transactions").description("Transactions started, by kind")
                .tags(meters.tags()).tag("kind", kind).register(meters.registry());
    }

    private static void active(SipMeters meters, TransactionLayer layer, String kind, ToDoubleFunction<TransactionLayer> count) {
        Gauge.builder("sip.transactions.active", layer, count).description("Transactions in progress, by kind")
                .tags(meters.tags()).tag("kind", kind).register(meters.registry());
    }

    void created(boolean server) {
        (server ? serversCreated : clientsCreated).increment();
    }

    void retransmitted(String method) {
        retransmissionsSent[SipMeters.methodIndex(method)].increment();
    }

    void retransmissionReceived(String method) {
        retransmissionsReceived[SipMeters.methodIndex(method)].increment();
    }
}
