package org.switchboard.sip.media;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link MediaServer#createEndpoint} creates an endpoint: the remote SDP the media server answers (absent: a
 * third-party-call-control endpoint whose media the application sets later), extra SIP headers for the INVITE, and
 * the codecs to prefer.
 *
 * @param remoteSdp the SDP offer for the media server, or empty
 * @param headers extra headers of the INVITE, in order
 * @param codecs codec names ({@code PCMA}, {@code PCMU}, ...) in order of preference: the offer's payload types are
 *               reordered so (those not named keep their order after the named ones); empty to leave the offer as it
 *               is. A third-party-call-control endpoint has no offer to reorder: the media server offers its own list.
 */
public record EndpointOptions(Optional<String> remoteSdp, Map<String, String> headers, List<String> codecs) {

    /** No SDP, no extra headers, no codec preference. */
    public static final EndpointOptions NONE = new EndpointOptions(Optional.empty(), Map.of());

    /** Copies the headers and codecs so the options stay immutable. */
    public EndpointOptions {
        Objects.requireNonNull(remoteSdp, "remoteSdp");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        codecs = List.copyOf(codecs);
    }

    /** Options with no codec preference. */
    public EndpointOptions(Optional<String> remoteSdp, Map<String, String> headers) {
        this(remoteSdp, headers, List.of());
    }

    /** Options offering this SDP to the media server. */
    public static EndpointOptions withSdp(String sdp) {
        return new EndpointOptions(Optional.of(sdp), Map.of());
    }

    /** These options with one more INVITE header. */
    public EndpointOptions withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new EndpointOptions(remoteSdp, h, codecs);
    }

    /** These options preferring {@code codecs}, first the most wanted. */
    public EndpointOptions withCodecs(String... codecs) {
        return new EndpointOptions(remoteSdp, headers, List.of(codecs));
    }
}
