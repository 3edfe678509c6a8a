package org.switchboard.container.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a media server's channel belongs to in the container, as the console shows it beside the media server's
 * channels and conference members.
 *
 * @param application the application that made the endpoint
 * @param callId the Call-ID of the call it was made for, empty when it was made outside a call (the application
 *        destroys it itself)
 */
public record MediaOwner(String application, Optional<String> callId) {

    /** Checks that nothing is null. */
    public MediaOwner {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(callId, "callId");
    }
}
