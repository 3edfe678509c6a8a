package org.switchboard.sip.app;

import java.util.List;
import java.util.Optional;
import org.switchboard.sip.message.SipResponse;

/**
 * What a proxy operation came to.
 *
 * @param connected whether a 2xx was forwarded upstream
 * @param finalStatus the status forwarded upstream (0 when nothing was, e.g. after a CANCEL)
 * @param finalResponse that response
 * @param responses every final response a destination sent, in arrival order
 */
public record ProxyResult(boolean connected, int finalStatus, Optional<SipResponse> finalResponse, List<SipResponse> responses) {

    /** Copies the list. */
    public ProxyResult {
        responses = List.copyOf(responses);
    }
}
