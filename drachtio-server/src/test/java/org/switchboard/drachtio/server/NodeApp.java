package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.switchboard.testing.node.NodeProcess;
import org.switchboard.testing.poll.Poll;

/** A drachtio-srf app from {@code src/test/node/apps.js}, connected to a server; its output lines are kept. */
final class NodeApp implements AutoCloseable {

    static final Path NODE_DIR = Path.of("src/test/node");

    private final NodeProcess process;

    private NodeApp(NodeProcess process) {
        this.process = process;
    }

    /** Starts {@code node apps.js role args...} against {@code admin} and waits until it is connected. */
    static NodeApp start(InetSocketAddress admin, String role, String... args) {
        return start(Map.of("DRACHTIO_HOST", admin.getAddress().getHostAddress(),
                "DRACHTIO_PORT", Integer.toString(admin.getPort())), role, args);
    }

    /** Starts an app with {@code env} (DRACHTIO_LISTEN=port for outbound mode, DRACHTIO_TAGS=...), waiting until ready. */
    static NodeApp start(Map<String, String> env, String role, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "apps.js";
        command[1] = role;
        System.arraycopy(args, 0, command, 2, args.length);
        return new NodeApp(NodeProcess.start(NODE_DIR, "drachtio-srf", env, line -> false, command));
    }

    /** Waits for an output line that matches, failing with the whole output after the deadline. */
    String await(Predicate<String> match, Duration deadline) {
        return process.await(match, deadline);
    }

    /** How many output lines start with {@code prefix}. */
    long count(String prefix) {
        return process.count(prefix);
    }

    /**
     * How many output lines start with {@code prefix}, once there are {@code expected} or after 10 s: the app's
     * lines reach the test a little after the SIP messages they report.
     */
    long count(String prefix, long expected) {
        try {
            Poll.until(Duration.ofSeconds(10), () -> process.count(prefix) >= expected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.count(prefix);
    }

    /** {@code kill -9} of the app. */
    void kill() throws InterruptedException {
        process.kill();
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
