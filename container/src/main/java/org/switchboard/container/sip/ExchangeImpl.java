package org.switchboard.container.sip;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.Exchange;
import org.switchboard.sip.middleware.Middleware;

/** One request's walk down the middleware chain; the observers are its last step. */
final class ExchangeImpl implements Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeImpl.class);

    private final SipCore core;
    private final PendingRequest inbound;
    private final List<Middleware> chain;
    private final Runnable observers;
    private int next;

    ExchangeImpl(SipCore core, PendingRequest inbound, List<Middleware> chain, Runnable observers) {
        this.core = core;
        this.inbound = inbound;
        this.chain = chain;
        this.observers = observers;
    }

    @Override
    public SipRequest request() {
        return inbound.request;
    }

    @Override
    public String application() {
        return inbound.application.name();
    }

    @Override
    public void proceed() throws Exception {
        if (next < chain.size()) {
            chain.get(next++).handle(this);
        } else if (next++ == chain.size()) {
            observers.run();
        }
    }

    @Override
    public void respond(SipResponse response) {
        if (next <= chain.size() && response.status() >= 300) {
            core.meters().of(inbound.application).rejected(); // a middleware answered before the observers were reached
        }
        core.respond(inbound, response).exceptionally(e -> {
            LOG.debug("{}: response {} not sent: {}", inbound.application.name(), response.status(), e.toString());
            return null;
        });
    }

    @Override
    public boolean isAnswered() {
        return inbound.isAnswered() || inbound.canceled.isDone();
    }

    @Override
    public Map<String, Object> attributes() {
        return inbound.attributes;
    }
}
