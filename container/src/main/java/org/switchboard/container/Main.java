package org.switchboard.container;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.lifecycle.Lifecycle;

/**
 * {@code ./switchboard run [--config FILE] [--deployments DIR] [--set key=value]... [--help]}: runs a container in
 * the foreground until SIGTERM (or Ctrl-C), which stops it gracefully within {@code shutdown.drain}.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final Path DEFAULT_CONFIG = Path.of("config/switchboard.properties");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ContainerConfig.Builder builder = ContainerConfig.builder();
        Path file = DEFAULT_CONFIG;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    System.out.println(help());
                    return;
                }
                case "--config" -> file = Path.of(value(args, ++i));
                case "--deployments" -> builder.set(ContainerConfig.DEPLOYMENTS.key(), value(args, ++i));
                case "--set" -> {
                    String kv = value(args, ++i);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        fail("--set wants key=value, not " + kv);
                    }
                    builder.set(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--samples" -> fail("--samples must be the first flag after run (the launcher copies the samples)");
                default -> fail("unknown flag " + args[i] + "\n\n" + help());
            }
        }
        ContainerConfig config;
        Container container;
        try {
            config = builder.file(file).environment(System.getenv()).build();
            container = Container.start(config);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage().replace("\n", "\nswitchboard run: "));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(container, config.get(ContainerConfig.SHUTDOWN_DRAIN));
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
    }

    /** The graceful stop: new calls refused, calls in progress given {@code drain}, then the rest ended with BYE. */
    static void stop(Container container, Duration drain) {
        LOG.info("SBC-004 stopping: new calls get 503, calls in progress have up to {} s", drain.toSeconds());
        long deadline = System.nanoTime() + drain.toNanos();
        AtomicReference<String> last = new AtomicReference<>("");
        boolean drained = Lifecycle.stop(drain, List.of(container), waiting -> {
            if (!waiting.equals(last.getAndSet(waiting))) {
                long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(1) - 1));
                LOG.info("SBC-005 draining: {}, up to {} s", waiting, left);
            }
        });
        LOG.info("SBC-006 switchboard stopped{}", drained ? "" : " (calls still up after the drain got BYE)");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("switchboard run: " + message);
        System.exit(64);
    }

    static String help() {
        return String.join("\n",
                "Usage: ./switchboard run [--samples] [--config FILE] [--deployments DIR] [--set key=value]...",
                "",
                "Runs the Switchboard container in the foreground: deploys the WAR/JAR archives in the deployments folder",
                "(and redeploys or undeploys them as they change) and connects them to SIP. With no configuration it starts",
                "the embedded drachtio-compatible SIP server on 127.0.0.1:5060 (UDP and TCP). SIGTERM or Ctrl-C stops it",
                "gracefully: new calls get 503 with Retry-After, calls in progress have shutdown.drain to end, then get BYE.",
                "",
                "  --samples           first copy the sample WARs (uas, b2bua, registrar-proxy) to deployments/ (first flag only)",
                "  --config FILE       properties file (default " + DEFAULT_CONFIG + " when present)",
                "  --deployments DIR   the folder to watch (same as --set deployments.dir=DIR)",
                "  --set key=value     one setting, over the file and the environment",
                "  --help              this text",
                "",
                ContainerConfig.help());
    }
}
