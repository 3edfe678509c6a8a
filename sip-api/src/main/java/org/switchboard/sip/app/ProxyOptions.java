package org.switchboard.sip.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Srf#proxy} forwards a request (the drachtio server's stateful proxy).
 *
 * @param destinations SIP or TEL URIs in order of preference; empty means the request's own Request-URI
 * @param recordRoute stay in the dialog's path (Record-Route; Path for REGISTER)
 * @param simultaneous fork to all destinations at once instead of one after another
 * @param followRedirects try the Contacts of a 3xx
 * @param provisionalTimeout give up on a destination that sent nothing within this time
 * @param headers headers to add to the forwarded request
 */
public record ProxyOptions(List<String> destinations, boolean recordRoute, boolean simultaneous, boolean followRedirects,
                           Optional<Duration> provisionalTimeout, Map<String, String> headers) {

    /** Copies the collections. */
    public ProxyOptions {
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(provisionalTimeout, "provisionalTimeout");
        headers = Map.copyOf(headers);
    }

    /** Serial forwarding to {@code destinations}, no record-route, no redirects. */
    public static ProxyOptions to(String... destinations) {
        return new ProxyOptions(List.of(destinations), false, false, false, Optional.empty(), Map.of());
    }

    /** The same, staying in the path of the dialog. */
    public ProxyOptions withRecordRoute() {
        return new ProxyOptions(destinations, true, simultaneous, followRedirects, provisionalTimeout, headers);
    }

    /** The same, forking to all destinations at once. */
    public ProxyOptions withSimultaneousForking() {
        return new ProxyOptions(destinations, recordRoute, true, followRedirects, provisionalTimeout, headers);
    }

    /** The same, following redirects. */
    public ProxyOptions withFollowRedirects() {
        return new ProxyOptions(destinations, recordRoute, simultaneous, true, provisionalTimeout, headers);
    }

    /** The same, with a provisional timeout per destination. */
    public ProxyOptions withProvisionalTimeout(Duration timeout) {
        return new ProxyOptions(destinations, recordRoute, simultaneous, followRedirects, Optional.of(timeout), headers);
    }
}
