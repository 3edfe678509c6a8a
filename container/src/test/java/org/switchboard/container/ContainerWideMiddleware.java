package org.switchboard.container;

import jakarta.annotation.Priority;
import org.switchboard.sip.middleware.Exchange;
import org.switchboard.sip.middleware.Middleware;

/** A container-wide middleware (a ServiceLoader service of the test class path): marks every request it passes. */
@Priority(1)
public class ContainerWideMiddleware implements Middleware {

    @Override
    public void handle(Exchange exchange) throws Exception {
        exchange.attributes().put("container", "seen");
        exchange.proceed();
    }
}
