package org.switchboard.container;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.lifecycle.Lifecycle;

/**
 * {@code ./switchboard run [--samples] [--config FILE] [--deployments DIR] [--set key=value]... [--log-level L]
 * [--debug] [--help]}: runs a container in the foreground until SIGTERM (or Ctrl-C), which stops it gracefully
 * within {@code shutdown.drain}. Exit codes: 0 after a stop, 64 for a bad command line or setting, 66 when
 * {@code --samples} finds no sample, 69 when the container cannot start (an address in use, a host that does not
 * resolve: the message names the setting that changes it), 70 for any other failure at start.
 */
public final class Main {

    /** The system property the launcher sets to the folder of the sample projects ({@code samples-war}). */
    public static final String SAMPLES_PROPERTY = "switchboard.samples";
    /** What {@code --log-level} sets, and what the logging configuration reads (the environment variable too). */
    public static final String LOG_LEVEL = "SWITCHBOARD_LOG_LEVEL";

    static final int USAGE = 64;
    static final int NO_INPUT = 66;
    static final int UNAVAILABLE = 69;
    static final int SOFTWARE = 70;

    private static final Path DEFAULT_CONFIG = Path.of("config/switchboard.properties");
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line as given; what a failure says goes to {@code err}. Returns the exit code once stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("switchboard run: " + e.getMessage());
            return USAGE;
        }
        if (options.help) {
            out.println(help());
            return 0;
        }
        // before the first logger: logging reads its level when it starts
        options.logLevel.or(() -> options.debug ? java.util.Optional.of("debug") : java.util.Optional.empty())
                .ifPresent(level -> System.setProperty(LOG_LEVEL, level.toUpperCase(Locale.ROOT)));
        ContainerConfig config;
        try {
            config = options.config.file(options.file).environment(System.getenv()).build();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("switchboard run: " + e.getMessage().replace("\n", "\nswitchboard run: "));
            return USAGE;
        }
        if (options.samples) {
            try {
                copySamples(config.get(ContainerConfig.DEPLOYMENTS), err);
            } catch (IOException e) {
                err.println("switchboard run: --samples: " + e.getMessage());
                return NO_INPUT;
            }
        }
        Container container;
        try {
            container = Container.start(config);
        } catch (StartException e) {
            err.println("switchboard run: " + e.getMessage());
            return debug(options, e, err, UNAVAILABLE);
        } catch (Exception e) {
            err.println("switchboard run: could not start: " + Container.describe(e)
                    + (options.debug ? "" : " (--debug shows where)"));
            return debug(options, e, err, SOFTWARE);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(container, config.get(ContainerConfig.SHUTDOWN_DRAIN));
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    private static int debug(Options options, Exception e, PrintStream err, int code) {
        if (options.debug) {
            e.printStackTrace(err);
        }
        return code;
    }

    /** The graceful stop: new calls refused, calls in progress given {@code drain}, then the rest ended with BYE. */
    static void stop(Container container, Duration drain) {
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("SBC-004 stopping: new calls get 503, calls in progress have up to {} s", drain.toSeconds());
        long deadline = System.nanoTime() + drain.toNanos();
        AtomicReference<String> last = new AtomicReference<>("");
        boolean drained = Lifecycle.stop(drain, List.of(container), waiting -> {
            if (!waiting.equals(last.getAndSet(waiting))) {
                long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(1) - 1));
                log.info("SBC-005 draining: {}, up to {} s", waiting, left);
            }
        });
        log.info("SBC-006 switchboard stopped{}", drained ? "" : " (calls still up after the drain got BYE)");
    }

    /**
     * Copies the built sample WARs ({@code <samples>/<name>/target/*.war}, the folder the launcher names in
     * {@value #SAMPLES_PROPERTY}) into {@code deployments}, the folder the container watches.
     */
    static List<Path> copySamples(Path deployments, PrintStream err) throws IOException {
        String samples = System.getProperty(SAMPLES_PROPERTY);
        if (samples == null) {
            throw new IOException("the launcher names the samples (" + SAMPLES_PROPERTY + " is not set); use ./switchboard run --samples");
        }
        List<Path> wars = new ArrayList<>();
        try (DirectoryStream<Path> projects = Files.newDirectoryStream(Path.of(samples), Files::isDirectory)) {
            for (Path project : projects) {
                Path target = project.resolve("target");
                if (Files.isDirectory(target)) {
                    try (DirectoryStream<Path> built = Files.newDirectoryStream(target, "*.war")) {
                        built.forEach(wars::add);
                    }
                }
            }
        }
        if (wars.isEmpty()) {
            throw new IOException("no sample WAR in " + samples + "/*/target (build them: mvn -pl samples-war -am package)");
        }
        Files.createDirectories(deployments);
        List<Path> copied = new ArrayList<>();
        for (Path war : wars.stream().sorted().toList()) {
            Path to = deployments.resolve(war.getFileName());
            Files.copy(war, to, StandardCopyOption.REPLACE_EXISTING);
            err.println("switchboard: sample " + war.getFileName() + " copied to " + deployments.toAbsolutePath());
            copied.add(to);
        }
        return copied;
    }

    static String help() {
        return String.join("\n",
                "Usage: ./switchboard run [--samples] [--config FILE] [--deployments DIR] [--set key=value]... [--log-level LEVEL]",
                "                         [--debug] [--help]",
                "",
                "Runs the Switchboard container in the foreground: deploys the WAR/JAR archives in the deployments folder",
                "(and redeploys or undeploys them as they change) and connects them to SIP. With no configuration it starts",
                "the embedded drachtio-compatible SIP server on 127.0.0.1:5060 (UDP and TCP). SIGTERM or Ctrl-C stops it",
                "gracefully: new calls get 503 with Retry-After, calls in progress have shutdown.drain to end, then get BYE.",
                "",
                "  --samples           first copy the sample WARs (uas, b2bua, registrar-proxy, ivr, conference) into the",
                "                      deployments folder (deployments.dir, wherever it is set)",
                "  --config FILE       properties file (default " + DEFAULT_CONFIG + " when present)",
                "  --deployments DIR   the folder to watch (same as --set deployments.dir=DIR)",
                "  --set key=value     one setting, over the file and the environment",
                "  --log-level LEVEL   trace, debug, info (default), warn, error or off; the environment variable",
                "                      " + LOG_LEVEL + " sets it too, the flag wins",
                "  --debug             stack traces with errors at start, and --log-level debug unless it is given",
                "  --help              this text",
                "",
                "Exit codes: 64 bad flag or setting, 66 --samples found none, 69 cannot start (address in use, host unknown),",
                "70 other failures at start.",
                "",
                ContainerConfig.help());
    }

    /** What the command line says; {@link IllegalArgumentException} with the flag and the value when it is wrong. */
    private static final class Options {
        final ContainerConfig.Builder config = ContainerConfig.builder();
        Path file = DEFAULT_CONFIG;
        boolean help;
        boolean samples;
        boolean debug;
        java.util.Optional<String> logLevel = java.util.Optional.empty();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> o.help = true;
                    case "--samples" -> o.samples = true;
                    case "--debug" -> o.debug = true;
                    case "--config" -> o.file = Path.of(value(args, ++i));
                    case "--deployments" -> o.config.set(ContainerConfig.DEPLOYMENTS.key(), value(args, ++i));
                    case "--log-level" -> {
                        String level = value(args, ++i).toLowerCase(Locale.ROOT);
                        if (!LEVELS.contains(level)) {
                            throw new IllegalArgumentException("--log-level: '" + args[i] + "' is not one of " + String.join(", ", LEVELS));
                        }
                        o.logLevel = java.util.Optional.of(level);
                    }
                    case "--set" -> {
                        String kv = value(args, ++i);
                        int eq = kv.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--set wants key=value, not '" + kv + "'");
                        }
                        o.config.set(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + args[i] + " (--help lists them)");
                }
            }
            return o;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
