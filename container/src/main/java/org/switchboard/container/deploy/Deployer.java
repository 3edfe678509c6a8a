package org.switchboard.container.deploy;

import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.container.cdi.SwitchboardExtension;
import org.switchboard.container.sip.Application;
import org.switchboard.container.sip.ApplicationRouter;
import org.switchboard.container.sip.SipCore;
import org.switchboard.sip.message.SipRequest;

/**
 * Watches the deployments folder and keeps one running version of each archive in it: deploys new ones,
 * redeploys changed ones once their size and time stayed the same for one scan, undeploys removed ones.
 * Status goes to marker files beside each archive ({@code .deployed}, {@code .failed} with the reason,
 * {@code .undeployed}) and to the log. A failed deployment leaves the previous version running. A replaced
 * version drains: it keeps its calls until they end or the drain timeout passes (then they get BYE), while new
 * calls go to the new version.
 */
public final class Deployer implements ApplicationRouter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private final Path folder;
    private final Path work;
    private final Duration scanInterval;
    private final Duration drainTimeout;
    private final Map<String, Properties> overrides;
    private final ClassLoader applicationParent;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deployment-scanner");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger versions = new AtomicInteger();
    private final Map<String, Deployment> active = new ConcurrentHashMap<>();
    private final List<Deployment> draining = new CopyOnWriteArrayList<>();
    private final Map<Path, Stamp> deployed = new HashMap<>(); // archive -> what was deployed (scanner thread only)
    private final Map<Path, Stamp> seen = new HashMap<>(); // archive -> last scan (scanner thread only)
    private volatile SipCore core;
    private boolean ownsWork; // the work folder did not exist before start: close removes it

    private record Stamp(long size, long modified) {
        static Stamp of(Path p) throws IOException {
            return new Stamp(Files.size(p), Files.getLastModifiedTime(p).toMillis());
        }
    }

    /**
     * A deployer for {@code folder}, unpacking into {@code work}.
     *
     * @param overrides per application name, {@code routing.*} settings that win over the archive's
     * @param applicationParent the parent of every application's class loader: {@link #apiOnly()}, or for a test
     *     that embeds the container its own class loader (see {@code Container.start(ContainerConfig, ClassLoader)})
     */
    public Deployer(Path folder, Path work, Duration scanInterval, Duration drainTimeout, Map<String, Properties> overrides,
                    ClassLoader applicationParent) {
        this.folder = folder;
        this.work = work;
        this.scanInterval = scanInterval;
        this.drainTimeout = drainTimeout;
        this.overrides = Map.copyOf(overrides);
        this.applicationParent = applicationParent;
    }

    /** The usual parent of application class loaders: it shows the Java platform and the application APIs only. */
    public static ClassLoader apiOnly() {
        return new ApiClassLoader(Deployer.class.getClassLoader());
    }

    /** Deploys what is in the folder now (stable or not: at start-up files are assumed complete), then watches it. */
    public void start(SipCore sipCore) {
        this.core = sipCore;
        try {
            Files.createDirectories(folder);
            ownsWork = !Files.exists(work);
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path archive : archives()) {
            try {
                seen.put(archive, Stamp.of(archive));
            } catch (IOException e) {
                continue;
            }
            deploy(archive);
        }
        scanner.scheduleWithFixedDelay(this::scan, scanInterval.toMillis(), scanInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<Path> archives() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".war") || n.endsWith(".jar"));
            }).sorted().toList();
        } catch (IOException e) {
            LOG.warn("SBC-300 cannot list {}: {}", folder, e.toString());
            return List.of();
        }
    }

    private void scan() {
        try {
            Set<Path> present = new HashSet<>();
            for (Path archive : archives()) {
                present.add(archive);
                Stamp now;
                try {
                    now = Stamp.of(archive);
                } catch (IOException e) {
                    continue;
                }
                Stamp before = seen.put(archive, now);
                boolean stable = now.equals(before);
                if (stable && !now.equals(deployed.get(archive)) && !failedAt(archive, now)) {
                    deploy(archive);
                }
            }
            for (Path gone : new ArrayList<>(deployed.keySet())) {
                if (!present.contains(gone)) {
                    undeploy(gone);
                }
            }
            seen.keySet().retainAll(present);
            failed.keySet().retainAll(present); // an archive taken away is no failed deployment any more
            failures.keySet().retainAll(present.stream().map(p -> p.getFileName().toString()).toList());
            finishDraining();
        } catch (RuntimeException e) {
            LOG.warn("SBC-301 deployment scan failed", e);
        }
    }

    private final Map<Path, Stamp> failed = new HashMap<>();
    // the archives in the folder whose last deployment failed, with the reason: read by health checks on any thread
    private final Map<String, String> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.atomic.AtomicLong drains = new java.util.concurrent.atomic.AtomicLong();

    private boolean failedAt(Path archive, Stamp stamp) {
        return stamp.equals(failed.get(archive));
    }

    /**
     * Deploys {@code archive}, a file in the deployments folder, now rather than at the next scans, and returns
     * once it runs and the server routes its methods to it (at once when this very file already runs). For tools
     * that put an archive in the folder and must know the outcome, such as the Arquillian adapter.
     *
     * @throws IllegalStateException when the deployment failed, with the reason also written to {@code .failed}
     */
    public void deployNow(Path archive, Duration within) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + within.toNanos();
        await(() -> {
            Stamp stamp = Stamp.of(archive);
            seen.put(archive, stamp);
            if (!stamp.equals(deployed.get(archive)) && !deploy(archive)) {
                throw new IllegalStateException(archive.getFileName() + ": deployment failed: " + failure(archive));
            }
            return null;
        }, within);
        SipCore c = core;
        if (c != null) { // the server routes the new application's methods to it only once it answered their registration
            try {
                c.routesAnswered().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // not reached: a refused route is logged and completes
            }
        }
    }

    /** Removes {@code archive} from the deployments folder and undeploys it now (its calls drain as usual). */
    public void undeployNow(Path archive, Duration within) throws InterruptedException, TimeoutException {
        await(() -> {
            Files.deleteIfExists(archive);
            seen.remove(archive);
            if (deployed.containsKey(archive)) {
                undeploy(archive);
            }
            return null;
        }, within);
    }

    /** Runs {@code task} on the scanner's thread, which alone touches the scan's bookkeeping. */
    private void await(Callable<Void> task, Duration within) throws InterruptedException, TimeoutException {
        try {
            scanner.submit(task).get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String failure(Path archive) {
        try {
            return Files.readString(archive.resolveSibling(archive.getFileName() + ".failed"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "see the log";
        }
    }

    /** The bean manager of the running version of application {@code name} (its archive's name without extension). */
    public Optional<BeanManager> beanManager(String name) {
        return Optional.ofNullable(active.get(name)).map(Deployment::beans);
    }

    static String appName(Path archive) {
        String n = archive.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    /** Deploys (or redeploys) {@code archive}; returns whether it succeeded. */
    synchronized boolean deploy(Path archive) {
        String name = appName(archive);
        String id = name + "#" + versions.incrementAndGet();
        Stamp stamp;
        try {
            stamp = Stamp.of(archive);
        } catch (IOException e) {
            return false;
        }
        Path dir = work.resolve(id.replace('#', '-'));
        boolean war = archive.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".war");
        long started = System.nanoTime();
        Deployment d;
        try {
            ArchiveFiles.unpack(archive, dir);
            d = Deployment.start(name, id, dir, war, core, overrides.getOrDefault(name, new Properties()), applicationParent);
            checkConflicts(d);
        } catch (RuntimeException | Error | IOException e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("SBC-500 {}: deployment failed: {}", archive.getFileName(), reason);
            LOG.debug("deployment failure", e);
            failed.put(archive, stamp);
            failures.put(archive.getFileName().toString(), reason);
            ArchiveFiles.marker(archive, ".failed", reason + "\n");
            ArchiveFiles.deleteTree(dir);
            return false;
        }
        failed.remove(archive);
        failures.remove(archive.getFileName().toString());
        Deployment previous = active.put(name, d);
        deployed.put(archive, stamp);
        core.updateRoutes();
        ArchiveFiles.marker(archive, ".deployed", Instant.now() + " " + id + "\n");
        LOG.info("SBC-007 deployed {} as {} in {} ms ({}; methods {})", archive.getFileName(), id, (System.nanoTime() - started) / 1_000_000,
                d.rule(), d.methods());
        if (previous != null) {
            drain(previous);
        }
        return true;
    }

    private void checkConflicts(Deployment d) {
        for (Deployment other : active.values()) {
            if (other.application().equals(d.application())) {
                continue;
            }
            Optional<String> why = d.rule().conflictWith(other.rule(), d.methods(), other.methods());
            if (why.isPresent()) {
                d.stop();
                throw new IllegalStateException("routing of " + d.application() + " (" + d.rule() + ") overlaps "
                        + other.application() + " (" + other.rule() + "): " + why.get()
                        + "; give one a different priority (app." + d.application()
                        + ".routing.priority), methods or Request-URI pattern");
            }
        }
    }

    synchronized void undeploy(Path archive) {
        String name = appName(archive);
        deployed.remove(archive);
        Deployment d = active.remove(name);
        if (d != null) {
            core.updateRoutes();
            LOG.info("SBC-008 undeploying {}", d.id());
            drain(d);
        }
        ArchiveFiles.marker(archive, ".undeployed", Instant.now() + "\n");
    }

    private void drain(Deployment old) {
        if (!core.hasCalls(old)) {
            stop(old);
            return;
        }
        LOG.info("SBC-009 {} drains its calls (at most {} s)", old.id(), drainTimeout.toSeconds());
        drains.incrementAndGet();
        draining.add(old);
        scanner.schedule(() -> {
            if (draining.contains(old)) {
                int ended = core.endCalls(old, "Application " + old.application() + " redeployed or undeployed");
                LOG.info("SBC-010 {}: drain timeout, {} calls ended", old.id(), ended);
                if (scanner.isShutdown()) {
                    return; // the container stops: its close stops this version too
                }
                scanner.schedule(() -> {
                    if (draining.remove(old)) {
                        stop(old);
                    }
                }, 2, TimeUnit.SECONDS);
            }
        }, drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finishDraining() {
        for (Deployment d : draining) {
            if (!core.hasCalls(d) && draining.remove(d)) {
                stop(d);
            }
        }
    }

    private void stop(Deployment d) {
        d.stop();
        core.stopped(d);
        ArchiveFiles.deleteTree(work.resolve(d.id().replace('#', '-')));
        LOG.info("SBC-011 {} stopped", d.id());
    }

    @Override
    public Optional<Application> route(SipRequest request) {
        return active.values().stream().filter(d -> d.matches(request))
                .max(Comparator.comparingInt(d -> d.rule().priority())).map(Application.class::cast);
    }

    @Override
    public Collection<Application> active() {
        return List.copyOf(active.values());
    }

    @Override
    public Set<String> methods() {
        Set<String> methods = new HashSet<>();
        for (Deployment d : active.values()) {
            for (String m : d.methods()) {
                if (m.equals(SwitchboardExtension.ANY)) {
                    methods.addAll(List.of("invite", "register", "options", "message", "subscribe", "publish", "info", "notify", "refer"));
                } else {
                    methods.add(m.toLowerCase(Locale.ROOT));
                }
            }
        }
        return methods;
    }

    /**
     * A version of an application as the admin API lists it.
     *
     * @param name the application (its archive's name without extension)
     * @param version the version's id, {@code name#n}
     * @param routing its routing rule
     * @param draining whether a newer version or an undeploy replaced it and it only finishes its calls
     * @param calls its calls in progress (dialogs and requests not answered yet)
     */
    public record Status(String name, String version, String routing, boolean draining, int calls) {
    }

    /** The running versions, then the draining ones, each by name. */
    public List<Status> status() {
        SipCore c = core;
        java.util.function.Function<Deployment, Status> status = d -> new Status(d.application(), d.id(), d.rule().toString(),
                draining.contains(d), c == null ? 0 : c.calls(d));
        List<Status> result = new java.util.ArrayList<>(active.values().stream().map(status).toList());
        draining.forEach(d -> result.add(status.apply(d)));
        result.sort(java.util.Comparator.comparing(Status::draining).thenComparing(Status::name).thenComparing(Status::version));
        return result;
    }

    /** The folder it watches: an archive put there (under its final name, whole) is deployed. */
    public Path folder() {
        return folder;
    }

    /** How many versions take new calls. */
    public int activeCount() {
        return active.size();
    }

    /** How many replaced or removed versions still drain their calls. */
    public int drainingCount() {
        return draining.size();
    }

    /** The archives in the folder whose last deployment failed, by file name, with the reason; sorted by name. */
    public Map<String, String> failures() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(failures));
    }

    /** Drains started since the deployer started (a replaced or removed version that still had calls). */
    public long drainsStarted() {
        return drains.get();
    }

    /** Names and versions of the running applications. */
    public List<String> deployments() {
        return active.values().stream().map(d -> d.id() + " (" + d.rule() + ")").sorted().toList();
    }

    /**
     * Stops watching the folder: no archive is deployed, redeployed or undeployed any more (one being deployed
     * now finishes). The running versions keep their calls until {@link #close()}.
     */
    public void stopWatching() {
        scanner.shutdown();
    }

    /** Stops every version and removes what was unpacked (the work folder too when the deployer created it). */
    @Override
    public synchronized void close() {
        scanner.shutdownNow();
        active.values().forEach(this::stop);
        draining.forEach(this::stop);
        active.clear();
        draining.clear();
        if (ownsWork) {
            ArchiveFiles.deleteTree(work);
        }
    }

    /** Reads {@code app.<name>.routing.*} keys into per-application overrides. */
    public static Map<String, Properties> overrides(Properties config) {
        Map<String, Properties> result = new HashMap<>();
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("app.")) {
                int dot = key.indexOf('.', 4);
                if (dot > 0) {
                    result.computeIfAbsent(key.substring(4, dot), k -> new Properties()).setProperty(key.substring(dot + 1),
                            config.getProperty(key));
                }
            }
        }
        return result;
    }
}
