package org.switchboard.container.sip;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.switchboard.sip.message.SipRequest;

/** Chooses the application a new request goes to. */
public interface ApplicationRouter {

    /** The application that takes {@code request}, if any. */
    Optional<Application> route(SipRequest request);

    /** The applications that take new requests. */
    Collection<Application> active();

    /** The methods the active applications take, lower case, for the server's routes. */
    Set<String> methods();
}
