/**
 * The middleware SPI: {@link org.switchboard.sip.middleware.Middleware} beans run, ordered by
 * {@link jakarta.annotation.Priority} (lowest first; container-wide ones before an application's), before
 * the request reaches the application's observers. A middleware may answer and stop the chain; an
 * exception goes to the {@link org.switchboard.sip.middleware.ErrorMiddleware}s, and a request still
 * unanswered after them gets 500. {@link org.switchboard.sip.middleware.Mount} limits one to some methods.
 */
package org.switchboard.sip.middleware;
