package org.switchboard.sip.message;

import org.switchboard.sip.SipParseException;

/** Every typed accessor of a parsed message, for the fuzz tests: each may refuse its header, never fail otherwise. */
final class Accessors {

    private Accessors() {
    }

    /** Runs every accessor of {@code m}; a {@link SipParseException} is an accessor's clear refusal. */
    static void exercise(SipMessage m) {
        Runnable[] accessors = {
            m::validate, m::cseq, m::from, m::to, m::vias, m::contacts, m::routes, m::recordRoutes, m::maxForwards,
            () -> m.authValues("Authorization"),
            () -> m.headers().values("Via"), () -> m.headers().values("Contact"), m::toBytes, m::toString,
            () -> {
                if (m instanceof SipRequest r) {
                    r.requestUri();
                    r.toBuilder().setHeader("Max-Forwards", "1").build().toBytes();
                }
            },
        };
        for (Runnable accessor : accessors) {
            try {
                accessor.run();
            } catch (SipParseException expected) {
                // a clear error is the point
            }
        }
    }
}
