package org.switchboard.drachtio.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A drachtio-srf app from {@code src/test/node/apps.js}, connected to a server; its output lines are kept. */
final class NodeApp implements AutoCloseable {

    static final Path NODE_DIR = Path.of("src/test/node");

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private NodeApp(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "node-app-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node apps.js role args...} against {@code admin} and waits until it is connected. */
    static NodeApp start(InetSocketAddress admin, String role, String... args) {
        return start(Map.of("DRACHTIO_HOST", admin.getAddress().getHostAddress(),
                "DRACHTIO_PORT", Integer.toString(admin.getPort())), role, args);
    }

    /** Starts an app with {@code env} (DRACHTIO_LISTEN=port for outbound mode, DRACHTIO_TAGS=...), waiting until ready. */
    static NodeApp start(Map<String, String> env, String role, String... args) {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/drachtio-srf")),
                "drachtio-srf is not installed: run scripts/install-test-peers");
        List<String> command = new ArrayList<>(List.of("node", "apps.js", role));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            NodeApp app = new NodeApp(pb.start());
            app.await(l -> l.startsWith("ready"), Duration.ofSeconds(15));
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node", e);
        }
    }

    /** Waits for an output line that matches, failing with the whole output after the deadline. */
    String await(Predicate<String> match, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the node app did not print the expected line within " + deadline.toMillis()
                            + " ms; it printed:\n" + String.join("\n", lines));
                }
                try {
                    lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** How many output lines start with {@code prefix}. */
    long count(String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
