package org.switchboard.container.admin;

import java.util.Objects;

/**
 * A GET route registered on the admin listener by the container's boot (metrics, health): it answers with a status, a
 * content type and a body. Called on the listener's threads, never on a SIP or media thread; it may take a moment but
 * should not wait long.
 */
@FunctionalInterface
public interface Route {

    /** The answer to one GET. */
    Reply get();

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param contentType its {@code Content-Type}, with the charset for text
     * @param body the body, UTF-8
     */
    record Reply(int status, String contentType, String body) {

        /** Checks the status and that nothing is null. */
        public Reply {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("HTTP status " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }
}
