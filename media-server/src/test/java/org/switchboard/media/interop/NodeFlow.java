package org.switchboard.media.interop;

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
 * One run of a script in {@code src/test/node} ({@code mrf.js}: a drachtio-fsmrf flow; {@code esl.js}: drachtio-modesl). Its output lines are kept and can be
 * awaited; commands go to its standard input.
 */
final class NodeFlow implements AutoCloseable {

    static final Path NODE_DIR = Path.of("src/test/node");

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private NodeFlow(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "node-flow-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node mrf.js flow args...} with {@code env} and waits for its "ready" line. */
    static NodeFlow start(Map<String, String> env, String flow, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = flow;
        System.arraycopy(args, 0, all, 1, args.length);
        return script(env, "mrf.js", all);
    }

    /** Starts {@code node <script> args...} with {@code env} and waits for its "ready" line. */
    static NodeFlow script(Map<String, String> env, String script, String... args) {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/drachtio-fsmrf")),
                "drachtio-fsmrf is not installed: run scripts/install-test-peers");
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            NodeFlow f = new NodeFlow(pb.start());
            f.await(l -> l.startsWith("ready"), Duration.ofSeconds(15));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node", e);
        }
    }

    /** The first output line that matches, waiting up to {@code deadline}; fails with the whole output. */
    String await(Predicate<String> match, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    if (l.startsWith("failed") || l.contains(" failed ")) {
                        throw new AssertionError("the node flow failed:\n" + String.join("\n", lines));
                    }
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the node flow did not print the expected line within "
                            + deadline.toMillis() + " ms; it printed:\n" + String.join("\n", lines));
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

    /** The line starting with {@code prefix}, waited for. */
    String await(String prefix, Duration deadline) {
        return await(l -> l.startsWith(prefix), deadline);
    }

    /** Writes a command line to the flow. */
    void send(String command) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the node flow is gone", e);
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
