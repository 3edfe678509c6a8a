package org.switchboard.container.ops;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a running container shows operators, for the admin listener to serve: {@code GET /metrics} answers
 * {@link #scrape()} ({@link #CONTENT_TYPE}), {@code GET /health/live} and {@code GET /health/ready} answer the
 * {@link HealthReport}'s status with its JSON. Every method answers at once and may be called from any thread.
 */
public final class Operations {

    /** The content type of {@link #scrape()}: Prometheus' text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;
    private final BooleanSupplier running;
    private final List<HealthCheck> readiness;

    private Operations(Supplier<String> scrape, BooleanSupplier running, List<HealthCheck> readiness) {
        this.scrape = scrape;
        this.running = running;
        this.readiness = List.copyOf(readiness);
    }

    /**
     * Operations over {@code scrape} (the registry's text), {@code running} (false once the container closed) and the
     * parts readiness depends on, in the order the report lists them.
     */
    public static Operations of(Supplier<String> scrape, BooleanSupplier running, List<HealthCheck> readiness) {
        return new Operations(Objects.requireNonNull(scrape, "scrape"), Objects.requireNonNull(running, "running"),
                readiness);
    }

    /** Every meter in Prometheus' text format. */
    public String scrape() {
        return scrape.get();
    }

    /** Liveness: up while the container runs (not yet closed); a process whose report is down should be restarted. */
    public HealthReport live() {
        return HealthReport.of(List.of(HealthCheck.of("container", () -> running.getAsBoolean()
                ? HealthCheck.Status.up("running") : HealthCheck.Status.down("closed"))));
    }

    /**
     * Readiness: up when every part is (SIP listening, the drachtio connection, each media server, the deployments);
     * a load balancer sends no calls to a container whose report is down.
     */
    public HealthReport ready() {
        return HealthReport.of(readiness);
    }
}
