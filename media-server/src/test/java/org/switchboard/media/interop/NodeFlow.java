package org.switchboard.media.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.switchboard.testing.node.NodeProcess;

/**
 * One run of a script in {@code src/test/node} ({@code mrf.js}: a drachtio-fsmrf flow; {@code esl.js}: drachtio-modesl).
 * Its output lines are kept and can be awaited (a line saying it failed fails the wait); commands go to its standard
 * input.
 */
final class NodeFlow implements AutoCloseable {

    static final Path NODE_DIR = Path.of("src/test/node");

    private final NodeProcess process;

    private NodeFlow(NodeProcess process) {
        this.process = process;
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
        String[] command = new String[args.length + 1];
        command[0] = script;
        System.arraycopy(args, 0, command, 1, args.length);
        return new NodeFlow(NodeProcess.start(NODE_DIR, "drachtio-fsmrf", env,
                line -> line.startsWith("failed") || line.contains(" failed "), command));
    }

    /** The first output line that matches, waiting up to {@code deadline}; fails with the whole output. */
    String await(Predicate<String> match, Duration deadline) {
        return process.await(match, deadline);
    }

    /** The line starting with {@code prefix}, waited for. */
    String await(String prefix, Duration deadline) {
        return process.await(l -> l.startsWith(prefix), deadline);
    }

    /** Writes a command line to the flow. */
    void send(String command) {
        process.send(command);
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
