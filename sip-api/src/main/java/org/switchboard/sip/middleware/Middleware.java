package org.switchboard.sip.middleware;

/** A step before the observers: {@code @ApplicationScoped @Priority(10) class Audit implements Middleware}. */
@FunctionalInterface
public interface Middleware {

    /**
     * Handles {@code exchange}: calls {@link Exchange#proceed()} to pass it on, or answers it
     * ({@link Exchange#respond}) and returns to stop the chain. Returning without doing either stops the chain
     * too; the request is then the middleware's to answer.
     */
    void handle(Exchange exchange) throws Exception;
}
