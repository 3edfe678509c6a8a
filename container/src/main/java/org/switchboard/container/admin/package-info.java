/**
 * The container's one HTTP listener (Jetty core, no servlets): the admin API ({@code /api/...}, JSON), the live web
 * console at {@code /} (plain HTML, CSS and JavaScript from this package's resources, updated over server-sent
 * events), and the routes the container's boot registers on it ({@code /metrics}, {@code /health/...}). The API and the
 * console take a token; see docs/container.md.
 */
package org.switchboard.container.admin;
