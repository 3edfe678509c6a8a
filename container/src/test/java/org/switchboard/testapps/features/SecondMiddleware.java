package org.switchboard.testapps.features;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import org.switchboard.sip.middleware.Exchange;
import org.switchboard.sip.middleware.Middleware;

/** Runs second, on every method; answers 403 and stops the chain for a request with {@code Subject: reject}. */
@Dependent
@Priority(20)
class SecondMiddleware implements Middleware {

    @Override
    public void handle(Exchange exchange) throws Exception {
        if (exchange.request().header("Subject").map(String::trim).filter("reject"::equals).isPresent()) {
            exchange.respond(403);
            return;
        }
        exchange.attributes().merge("order", "second", (a, b) -> a + "," + b);
        exchange.proceed();
    }
}
