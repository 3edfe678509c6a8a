package org.switchboard.container;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.metrics.Meters;

/**
 * The container's one registry, handed to every part it starts (the SIP core, the drachtio client, the embedded
 * drachtio and media servers, the media servers' event sockets): a Prometheus registry with the JVM's meters, or with
 * {@code metrics.enabled=false} one that keeps nothing. Adds the deployer's meters itself.
 */
final class ContainerMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerMetrics.class);

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus; // null when metrics are off
    private final AutoCloseable jvm;

    private ContainerMetrics(PrometheusMeterRegistry prometheus) {
        this.prometheus = prometheus;
        this.registry = prometheus != null ? prometheus : Meters.none();
        this.jvm = prometheus != null ? Meters.bindJvm(prometheus) : () -> { };
    }

    static ContainerMetrics of(ContainerConfig config) {
        return new ContainerMetrics(config.get(ContainerConfig.METRICS) ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Every meter in Prometheus' text format; with metrics off, a comment saying so. */
    String scrape() {
        return prometheus != null ? prometheus.scrape() : "# metrics.enabled is false: no metrics are kept\n";
    }

    /** The deployments by state and the drains started, read from the deployer when scraped. */
    void deployments(Deployer deployer) {
        deploymentGauge(deployer, "active", Deployer::activeCount);
        deploymentGauge(deployer, "draining", Deployer::drainingCount);
        deploymentGauge(deployer, "failed", d -> d.failures().size());
        FunctionCounter.builder("switchboard.drains", deployer, Deployer::drainsStarted)
                .description("Replaced or removed versions that drained their calls").register(registry);
    }

    private void deploymentGauge(Deployer deployer, String state, java.util.function.ToDoubleFunction<Deployer> count) {
        Gauge.builder("switchboard.deployments", deployer, count).tag("state", state)
                .description("Application versions by state: taking calls, draining, archives whose deployment failed")
                .register(registry);
    }

    @Override
    public void close() {
        try {
            jvm.close();
        } catch (Exception e) {
            LOG.debug("JVM meters not unbound: {}", e.toString());
        }
        registry.close();
    }
}
