package org.switchboard.sip.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@link Srf#createUas} answers: the SDP and extra headers of the 2xx.
 *
 * @param localSdp the SDP of the 2xx, empty for none (a SUBSCRIBE's 202)
 * @param status the 2xx status, 200 unless given (202 suits SUBSCRIBE)
 * @param headers extra headers, in order
 */
public record UasOptions(String localSdp, int status, Map<String, String> headers) {

    /** Copies the headers; checks the status is 2xx. */
    public UasOptions {
        if (status / 100 != 2) {
            throw new IllegalArgumentException("createUas answers with a 2xx, not " + status);
        }
        headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    /** A 200 with {@code localSdp} and no extra headers. */
    public static UasOptions withSdp(String localSdp) {
        return new UasOptions(localSdp, 200, Map.of());
    }

    /** This answer with one more header. */
    public UasOptions withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new UasOptions(localSdp, status, h);
    }

    /** This answer with another 2xx status. */
    public UasOptions withStatus(int newStatus) {
        return new UasOptions(localSdp, newStatus, headers);
    }
}
