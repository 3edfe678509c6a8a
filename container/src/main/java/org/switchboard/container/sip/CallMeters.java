package org.switchboard.container.sip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The container's call meters (docs/operations.md), labelled by application name (without the deployment's
 * version, so that a redeployed application goes on in the same series): calls offered and in progress, answer
 * time, final failure responses by status, middleware rejections; and the dialogs in progress. Each application's
 * meters are looked up once per request in a map keyed by the application; the in-progress gauges are counted when
 * scraped.
 */
final class CallMeters {

    /** The application label of requests no application took (404) or that were refused while shutting down. */
    static final String NO_APPLICATION = "none";

    private static final Duration[] ANSWER_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};
    private static final int STATUSES = 400; // final failures 300..699

    private final MeterRegistry registry;
    private final SipCore core;
    private final Map<Application, PerApplication> applications = new ConcurrentHashMap<>();
    private final Map<String, PerApplication> byLabel = new ConcurrentHashMap<>();

    CallMeters(MeterRegistry registry, SipCore core) {
        this.registry = registry;
        this.core = core;
        Gauge.builder("switchboard.dialogs", core, c -> c.registry().counts()[1])
                .description("Dialogs in progress, every application").register(registry);
    }

    /** The meters of one application name. */
    final class PerApplication {
        private final String label;
        private final Counter calls;
        private final Timer answer;
        private final Counter rejections;
        private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(STATUSES);

        PerApplication(String label) {
            this.label = label;
            calls = Counter.builder("switchboard.calls").tag("application", label)
                    .description("New INVITEs (calls offered) handed to an application").register(registry);
            answer = Timer.builder("switchboard.call.answer").tag("application", label).serviceLevelObjectives(ANSWER_BUCKETS)
                    .description("From an INVITE's arrival to its 2xx, by application").register(registry);
            rejections = Counter.builder("switchboard.middleware.rejections").tag("application", label)
                    .description("Requests a middleware answered with a failure before they reached the observers")
                    .register(registry);
            if (!label.equals(NO_APPLICATION)) {
                Gauge.builder("switchboard.calls.active", this, a -> core.calls(app -> label(app).equals(a.label)))
                        .tag("application", label).strongReference(true)
                        .description("Calls in progress (INVITEs waiting for their answer and dialogs), by application")
                        .register(registry);
            }
        }

        void offered() {
            calls.increment();
        }

        void answered(long receivedNanos) {
            answer.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
        }

        void failed(int status) {
            if (status < 300 || status > 699) {
                return;
            }
            Counter c = failures.get(status - 300);
            if (c == null) {
                c = Counter.builder("switchboard.call.failures").tag("application", label).tag("status", Integer.toString(status))
                        .description("INVITEs answered with a final failure (3xx-6xx), by application and status")
                        .register(registry);
                failures.set(status - 300, c); // a race registers the same counter twice: the registry returns one
            }
            c.increment();
        }

        void rejected() {
            rejections.increment();
        }
    }

    /** The meters of {@code app}; {@code null} for requests no application took. */
    PerApplication of(Application app) {
        if (app == null) {
            return byLabel.computeIfAbsent(NO_APPLICATION, PerApplication::new);
        }
        PerApplication found = applications.get(app);
        if (found == null) {
            found = byLabel.computeIfAbsent(label(app), PerApplication::new);
            applications.put(app, found);
        }
        return found;
    }

    /** Forgets a stopped version (its name's meters stay, for the next version). */
    void forget(Application app) {
        applications.remove(app);
    }

    /** The application's name without its deployment version ({@code uas#3}: {@code uas}). */
    static String label(Application app) {
        String name = app.name();
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }
}
