package org.switchboard.testapps.features;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Exchange;

/** Turns an observer's exception into 503. */
@Dependent
@Priority(5)
class Errors implements ErrorMiddleware {

    @Override
    public void handle(Exchange exchange, Throwable error) {
        Report.add("errors", error.getClass().getSimpleName());
        exchange.respond(503);
    }
}
