package org.switchboard.sip.middleware;

/**
 * Handles an exception thrown by a middleware or an observer, in {@link jakarta.annotation.Priority} order. The
 * first one that answers the request ends the error chain; when none does, the container answers 500.
 */
@FunctionalInterface
public interface ErrorMiddleware {

    /** Handles {@code error}, raised while {@code exchange} was being processed. */
    void handle(Exchange exchange, Throwable error) throws Exception;
}
