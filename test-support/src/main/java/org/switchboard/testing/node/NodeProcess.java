package org.switchboard.testing.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Node script run for a test ({@code node <script> args...} in a module's {@code src/test/node}): its output
 * lines are kept and can be awaited, lines go to its standard input. A test whose npm package is not installed is
 * skipped, not failed.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Predicate<String> failure;
    private final List<String> lines = new ArrayList<>();

    private NodeProcess(Process process, Predicate<String> failure) {
        this.process = process;
        this.failure = failure;
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
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code node command...} in {@code dir} with {@code env} added to the environment, and waits up to 15 s
     * for a line starting with {@code ready}.
     *
     * @param requiredPackage the npm package the script needs; the test is skipped when {@code dir/node_modules} lacks it
     * @param failure output lines that mean the script failed: awaiting then fails at once with the whole output
     */
    public static NodeProcess start(Path dir, String requiredPackage, Map<String, String> env, Predicate<String> failure,
                                    String... command) {
        assumeTrue(Files.isDirectory(dir.resolve("node_modules").resolve(requiredPackage)),
                requiredPackage + " is not installed: run scripts/install-test-peers");
        List<String> all = new ArrayList<>(List.of("node"));
        all.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(all).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            NodeProcess p = new NodeProcess(pb.start(), failure);
            p.await(l -> l.startsWith("ready"), Duration.ofSeconds(15));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node", e);
        }
    }

    /** The first output line that matches, waiting up to {@code deadline}; fails with the whole output. */
    public String await(Predicate<String> match, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    if (failure.test(l)) {
                        throw new AssertionError("the node script failed:\n" + String.join("\n", lines));
                    }
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the node script did not print the expected line within " + deadline.toMillis()
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
    public long count(String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    /** Writes a line to the script's standard input. */
    public void send(String line) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the node script is gone", e);
        }
    }

    /** Everything printed so far. */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** {@code kill -9}: the script ends at once, with no chance to close its connections itself. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
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
