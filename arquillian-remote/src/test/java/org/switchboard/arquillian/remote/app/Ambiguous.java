package org.switchboard.arquillian.remote.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A bean whose dependency two beans satisfy: Weld refuses the deployment (ambiguous dependency). */
@ApplicationScoped
public class Ambiguous {

    /** The type both beans below implement. */
    public interface Greeting {
    }

    /** One. */
    @ApplicationScoped
    public static class Hello implements Greeting {
    }

    /** The other. */
    @ApplicationScoped
    public static class Hi implements Greeting {
    }

    @Inject
    Greeting greeting;
}
