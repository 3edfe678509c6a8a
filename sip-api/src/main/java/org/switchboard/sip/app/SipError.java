package org.switchboard.sip.app;

import java.util.Optional;
import org.switchboard.sip.message.SipResponse;

/** A SIP operation ended with a failure status: the peer's final response, or one the container stands for. */
public class SipError extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient SipResponse response;

    /** A failure with the peer's final response. */
    public SipError(SipResponse response) {
        super(response.status() + " " + response.reason());
        this.status = response.status();
        this.response = response;
    }

    /** A failure the container stands for (e.g. 408 on a deadline, 487 after CANCEL), with no response message. */
    public SipError(int status, String reason) {
        super(status + " " + reason);
        this.status = status;
        this.response = null;
    }

    /** The final status. */
    public int status() {
        return status;
    }

    /** The final response, when one was received. */
    public Optional<SipResponse> response() {
        return Optional.ofNullable(response);
    }
}
