package org.switchboard.sip.auth;

import java.util.Map;
import java.util.Optional;

/** Where {@link DigestAuthentication} looks up a user's secret. Implementations may block; they run off the I/O threads. */
@FunctionalInterface
public interface CredentialSource {

    /** The password of {@code username} in {@code realm}, empty when the user is unknown. */
    Optional<String> password(String username, String realm);

    /** A fixed table of user name to password, for any realm. */
    static CredentialSource of(Map<String, String> passwords) {
        Map<String, String> copy = Map.copyOf(passwords);
        return (user, realm) -> Optional.ofNullable(copy.get(user));
    }
}
