package org.switchboard.sip.middleware;

import java.util.Map;
import java.util.Optional;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** An incoming request on its way through the middleware chain to the observers. */
public interface Exchange {

    /** The request. */
    SipRequest request();

    /** The name of the application the request is routed to. */
    String application();

    /** Hands the request to the next middleware, or to the observers after the last one. */
    void proceed() throws Exception;

    /** Answers the request; the chain should then return without proceeding. */
    void respond(SipResponse response);

    /** Answers with {@code status} and its usual reason phrase. */
    default void respond(int status) {
        respond(SipResponse.builder(status).build());
    }

    /** Whether a final response was sent. */
    boolean isAnswered();

    /**
     * Values middleware leaves for later steps and observers (e.g. the authenticated user under
     * {@code "user"}); observers read them with {@code Srf}'s request attributes.
     */
    Map<String, Object> attributes();

    /** One attribute, typed. */
    default <T> Optional<T> attribute(String name, Class<T> type) {
        return Optional.ofNullable(attributes().get(name)).filter(type::isInstance).map(type::cast);
    }
}
