/**
 * What every part shares about Micrometer metrics: the registry a part records into when it is given none
 * ({@link org.switchboard.metrics.Meters#none()}), the JVM and process meters a process serves once, and the
 * plain HTTP scrape endpoint of the standalone commands ({@link org.switchboard.metrics.ScrapeEndpoint}). The meters
 * themselves live with what they measure.
 */
package org.switchboard.metrics;
