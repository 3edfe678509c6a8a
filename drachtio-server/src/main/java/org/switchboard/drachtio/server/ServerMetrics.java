package org.switchboard.drachtio.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.switchboard.sip.stack.transport.TransportStats;

/**
 * The server's counters in Prometheus' text format: requests received by method (counted by SIP event loops into
 * a concurrent map of adders) and the gauges of what is under way, read from the registries when scraped.
 */
final class ServerMetrics {

    /** The gauges' current values. */
    record Gauges(int apps, int dialogs, int pendingAppRequests, int proxyOperations) {
    }

    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();

    void requestReceived(String method) {
        requestsByMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    String text(Gauges gauges, TransportStats stats) {
        StringBuilder out = new StringBuilder();
        gauge(out, "drachtio_app_connections", "Authenticated app connections", gauges.apps());
        gauge(out, "drachtio_dialogs", "Dialogs the server tracks for apps", gauges.dialogs());
        gauge(out, "drachtio_pending_app_requests", "Network requests waiting for an app's answer",
                gauges.pendingAppRequests());
        gauge(out, "drachtio_proxy_operations", "Proxy operations under way", gauges.proxyOperations());
        out.append("# HELP drachtio_sip_requests_received_total SIP requests received, by method\n")
                .append("# TYPE drachtio_sip_requests_received_total counter\n");
        requestsByMethod.forEach((m, n) -> out.append("drachtio_sip_requests_received_total{method=\"").append(m)
                .append("\"} ").append(n.sum()).append('\n'));
        counter(out, "drachtio_sip_messages_received_total", "SIP messages read", stats.messagesReceived());
        counter(out, "drachtio_sip_messages_sent_total", "SIP messages sent", stats.messagesSent());
        counter(out, "drachtio_sip_malformed_total", "Malformed SIP input dropped or answered 400", stats.malformedInputs());
        counter(out, "drachtio_sip_send_failures_total", "SIP messages that could not be sent", stats.sendFailures());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
