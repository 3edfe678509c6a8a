package org.switchboard.sip.app;

import java.util.Objects;

/**
 * A user name and password for answering a digest challenge (RFC 7616/2617). {@link #toString} hides the password.
 *
 * @param username the user name
 * @param password the password
 */
public record Credentials(String username, String password) {

    /** Checks that nothing is null. */
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
