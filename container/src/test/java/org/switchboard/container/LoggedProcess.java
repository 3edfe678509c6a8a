package org.switchboard.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A peer process the tests start (a container JVM, Kamailio, Redis), its output in a log file the test reads. */
final class LoggedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private LoggedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output and errors in {@code log}. */
    static LoggedProcess start(String name, ProcessBuilder command, Path log) throws IOException {
        return new LoggedProcess(name, command.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Everything it wrote so far (Latin-1: never fails on bytes that are not UTF-8). */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: the graceful stop. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL ({@code kill -9}): nothing of the process runs after it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}) with kill(1): a stopped process reads and writes nothing. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + name + " failed");
        }
    }

    /** Waits for the process to exit; whether it did within {@code millis}. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, and SIGKILL if it is still there after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
