package org.switchboard.container.sip;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;

/**
 * A new request's way to its application: the container-wide middleware, then the application's, then its
 * observers; a failure goes through the error middleware, and a request still unanswered after it gets 500.
 *
 * <p>Threads: runs on the request's call lane; holds no state of its own.
 */
final class Dispatch {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);

    private final SipCore core;
    private final List<Ordered<Middleware>> middleware;
    private final List<Ordered<ErrorMiddleware>> errorMiddleware;

    Dispatch(SipCore core, List<Ordered<Middleware>> middleware, List<Ordered<ErrorMiddleware>> errorMiddleware) {
        this.core = core;
        this.middleware = List.copyOf(middleware);
        this.errorMiddleware = List.copyOf(errorMiddleware);
    }

    /** Runs {@code in} down the middleware chain to its application's observers, on the call's lane. */
    void run(PendingRequest in) {
        Application app = in.application;
        String method = in.request.method();
        List<Middleware> chain = new ArrayList<>();
        middleware.stream().filter(m -> m.mountedOn(method)).forEach(m -> chain.add(m.value()));
        chain.addAll(app.middleware(method));
        ExchangeImpl exchange = new ExchangeImpl(core, in, chain, () -> {
            if (!app.observes(in.request)) {
                core.respond(in, Wire.response(in.request.isMethod("PRACK") ? 200 : 404));
            } else {
                app.fireRequest(in.request);
            }
        });
        CurrentCall.run(core.registry(), in.call, app, () -> {
            try {
                exchange.proceed();
            } catch (Throwable error) {
                handleError(exchange, app, error);
            } finally {
                in.dispatched = true;
            }
        });
    }

    private void handleError(ExchangeImpl exchange, Application app, Throwable error) {
        LOG.warn("SBC-305 {}: {} {} failed", app.name(), exchange.request().method(), exchange.request().requestUriText(), error);
        List<ErrorMiddleware> handlers = new ArrayList<>();
        errorMiddleware.stream().map(Ordered::value).forEach(handlers::add);
        handlers.addAll(app.errorMiddleware());
        for (ErrorMiddleware h : handlers) {
            if (exchange.isAnswered()) {
                return;
            }
            try {
                h.handle(exchange, error);
            } catch (Exception e) {
                LOG.warn("SBC-306 {}: error middleware failed", app.name(), e);
            }
        }
        if (!exchange.isAnswered()) {
            exchange.respond(500);
        }
    }
}
