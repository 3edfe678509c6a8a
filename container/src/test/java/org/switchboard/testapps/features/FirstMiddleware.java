package org.switchboard.testapps.features;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import org.switchboard.sip.middleware.Exchange;
import org.switchboard.sip.middleware.Middleware;
import org.switchboard.sip.middleware.Mount;

/** Runs first, on INVITE only. */
@Dependent
@Priority(10)
@Mount("INVITE")
class FirstMiddleware implements Middleware {

    @Override
    public void handle(Exchange exchange) throws Exception {
        exchange.attributes().merge("order", "first", (a, b) -> a + "," + b);
        exchange.proceed();
    }
}
