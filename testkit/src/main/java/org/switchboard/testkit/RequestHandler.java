package org.switchboard.testkit;

import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * How a phone answers requests of one method outside calls (a test registrar answering REGISTER, for instance).
 * Runs on the phone's own thread, never on a network thread; it may block briefly.
 */
@FunctionalInterface
public interface RequestHandler {

    /** The response to {@code request}; build it with {@link SipResponse#forRequest}. */
    SipResponse respond(SipRequest request);
}
