/**
 * What operators read from a running container: the Prometheus scrape text and the health reports
 * ({@link org.switchboard.container.ops.Operations}), which the admin listener serves at {@code /metrics},
 * {@code /health/live} and {@code /health/ready}. Knows nothing of SIP, deployments or media: the container hands it
 * its parts as {@link org.switchboard.container.ops.HealthCheck}s.
 */
package org.switchboard.container.ops;
