package org.switchboard.sip.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link MediaServer#createEndpoint} creates an endpoint: the remote SDP the media server answers (absent: a
 * third-party-call-control endpoint whose media the application sets later) and extra SIP headers for the INVITE.
 *
 * @param remoteSdp the SDP offer for the media server, or empty
 * @param headers extra headers of the INVITE, in order
 */
public record EndpointOptions(Optional<String> remoteSdp, Map<String, String> headers) {

    /** No SDP, no extra headers. */
    public static final EndpointOptions NONE = new EndpointOptions(Optional.empty(), Map.of());

    /** Copies the headers so the options stay immutable. */
    public EndpointOptions {
        Objects.requireNonNull(remoteSdp, "remoteSdp");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Options offering this SDP to the media server. */
    public static EndpointOptions withSdp(String sdp) {
        return new EndpointOptions(Optional.of(sdp), Map.of());
    }

    /** These options with one more INVITE header. */
    public EndpointOptions withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new EndpointOptions(remoteSdp, h);
    }
}
