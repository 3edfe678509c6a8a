package org.switchboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/** The registries parts are given: none (the default), or one a process serves with the JVM's meters bound. */
public final class Meters {

    private Meters() {
    }

    /**
     * A registry that keeps no values: a composite with no registry under it, whose counters, timers and gauges do
     * nothing when recorded and are never read. Each call returns a new one, so parts never share meters by accident.
     */
    public static MeterRegistry none() {
        return new CompositeMeterRegistry();
    }

    /**
     * Binds Micrometer's JVM meters (memory, garbage collection, threads, class loading) and the process's (CPU,
     * uptime) to {@code registry}: once per process and registry. Closing the result stops listening to the
     * garbage collector's notifications.
     */
    public static AutoCloseable bindJvm(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }
}
