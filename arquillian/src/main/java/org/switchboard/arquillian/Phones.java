package org.switchboard.arquillian;

import org.switchboard.testkit.SipPhone;

/**
 * Makes test-kit phones on the container's transport; a test gets it with {@code @ArquillianResource Phones phones}.
 * Every phone it makes is closed after the test method that made it (so a test need not close them).
 */
public interface Phones {

    /** A phone for {@code user}, built with the kit's defaults on the container's transport. */
    SipPhone phone(String user);

    /**
     * A phone built from {@code builder} (for credentials, auto-answer, timeouts...): the transport is set to the
     * container's, the rest is the builder's.
     */
    SipPhone phone(SipPhone.Builder builder);
}
