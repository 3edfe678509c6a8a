package org.switchboard.arquillian.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A bean whose dependency no bean satisfies: Weld refuses the deployment. */
@ApplicationScoped
public class Unsatisfied {

    /** A type nothing implements. */
    public interface Missing {
    }

    @Inject
    Missing missing;
}
