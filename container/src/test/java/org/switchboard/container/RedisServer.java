package org.switchboard.container;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.switchboard.testing.poll.Poll;

/** Debian's {@code redis-server} as a process on a free loopback port, nothing persisted. */
final class RedisServer implements AutoCloseable {

    /** Where Debian installs it. */
    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final LoggedProcess process;
    private final int port;

    private RedisServer(LoggedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts it with its working folder and log in {@code dir}, and waits until it takes connections. */
    static RedisServer start(Path dir) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("redis"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LoggedProcess process = LoggedProcess.start("redis-server", new ProcessBuilder(BINARY.toString(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work.toString()),
                work.resolve("redis.log"));
        RedisServer redis = new RedisServer(process, port);
        Poll.await(Duration.ofSeconds(20), "redis-server ready", () -> process.log().contains("Ready to accept connections") || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited: " + process.log());
        }
        return redis;
    }

    /** The URI clients connect to. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
