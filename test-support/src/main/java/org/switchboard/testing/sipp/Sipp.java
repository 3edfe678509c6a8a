package org.switchboard.testing.sipp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.switchboard.testing.files.Folders;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.poll.Poll;

/**
 * One sipp run: a built-in ({@code -sn}) or file ({@code -sf}) scenario against a target, bounded by a
 * deadline. Build with {@link #builtIn} or {@link #scenario}, then {@link #run()} or {@link #start()}.
 */
public final class Sipp {

    private final List<String> command = new ArrayList<>();
    private Duration deadline = Duration.ofSeconds(60);
    private Path workDir;
    private Path runIn;

    private Sipp(String flag, String scenario) {
        command.add("sipp");
        command.add(flag);
        command.add(scenario);
        command.add("-nostdin");
        command.add("-nd"); // no default behaviours: an unexpected message fails the call instead of being absorbed
    }

    /** A run of sipp's built-in scenario ({@code uac}, {@code uas}, ...). */
    public static Sipp builtIn(String name) {
        return new Sipp("-sn", name);
    }

    /** A run of a scenario file. */
    public static Sipp scenario(Path file) {
        return new Sipp("-sf", file.toString());
    }

    /** Where sipp sends (a {@code host:port}). */
    public Sipp target(String hostPort) {
        command.add(hostPort);
        return this;
    }

    /** Adds raw sipp arguments, such as {@code "-m", "500"}. */
    public Sipp args(String... args) {
        command.addAll(List.of(args));
        return this;
    }

    /** The whole run's deadline (also passed as {@code -timeout}); the process is killed after it. */
    public Sipp deadline(Duration deadline) {
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        return this;
    }

    /**
     * The directory sipp runs in, for scenarios that name files relative to it (such as
     * {@code play_pcap_audio="pcap/g711a.pcap"}); by default a fresh temporary one.
     */
    public Sipp runIn(Path directory) {
        this.runIn = directory;
        return this;
    }

    /** Runs sipp in the foreground until it exits or the deadline passes. */
    public Result run() {
        return start().await();
    }

    /** Starts sipp in the background; {@link Running#await()} collects the result. */
    public Running start() {
        try {
            workDir = Files.createTempDirectory("sipp");
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of("-timeout", deadline.toSeconds() + "s", "-timeout_error", "-trace_err", "-trace_stat",
                    "-stf", workDir.resolve("stats.csv").toString(), "-error_file", workDir.resolve("errors.log").toString()));
            Process process = new ProcessBuilder(full).directory((runIn != null ? runIn : workDir).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("screen.log").toFile())
                    .start();
            return new Running(process, workDir, deadline, String.join(" ", full));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sipp (is sip-tester installed?)", e);
        }
    }

    /** A sipp process under way. */
    public static final class Running {
        private final Process process;
        private final Path workDir;
        private final Duration deadline;
        private final String commandLine;

        private Running(Process process, Path workDir, Duration deadline, String commandLine) {
            this.process = process;
            this.workDir = workDir;
            this.deadline = deadline;
            this.commandLine = commandLine;
        }

        /**
         * Waits until sipp has bound UDP {@code port} (as the kernel lists it in /proc/net), so a test sends its
         * first request when sipp can read it rather than after a guessed pause.
         *
         * @throws AssertionError when sipp ended first or the port is not bound within {@code limit}
         */
        public Running awaitUdpBound(int port, Duration limit) throws InterruptedException {
            Poll.await(limit, "sipp bound to UDP port " + port, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("sipp ended (" + process.exitValue() + ") before binding UDP port " + port
                            + ": " + read(workDir.resolve("screen.log")));
                }
                return BoundPorts.udp(port);
            });
            return this;
        }

        /** Ends sipp at once (SIGKILL), for calls a test has no more use for, and waits for it to go. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                Folders.deleteQuietly(workDir);
            }
        }

        /** Waits for sipp to end (killing it 10 s after the deadline) and reads its verdict. */
        public Result await() {
            try {
                if (!process.waitFor(deadline.toSeconds() + 10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                String screen = read(workDir.resolve("screen.log"));
                String stats = read(workDir.resolve("stats.csv"));
                String errors = read(workDir.resolve("errors.log"));
                Result result = new Result(process.isAlive() ? -1 : process.exitValue(),
                        lastStat(stats, "SuccessfulCall(C)"), lastStat(stats, "FailedCall(C)"), commandLine, screen,
                        errors);
                if (!process.isAlive()) {
                    Folders.deleteQuietly(workDir); // what a test needs of it is in the result
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while waiting for sipp", e);
            }
        }
    }

    /**
     * What a sipp run ended with.
     *
     * @param exitCode 0 when every call succeeded, 1 when some failed, other values for errors (-1: killed)
     * @param successfulCalls cumulative successful calls from the statistics file
     * @param failedCalls cumulative failed calls from the statistics file
     * @param commandLine the command that ran
     * @param screen what sipp printed
     * @param errors sipp's error trace
     */
    public record Result(int exitCode, long successfulCalls, long failedCalls, String commandLine, String screen,
                         String errors) {

        /** A description for assertion messages. */
        public String describe() {
            String tail = screen.length() > 3000 ? screen.substring(screen.length() - 3000) : screen;
            String err = errors.length() > 3000 ? errors.substring(0, 3000) : errors;
            return "sipp exit " + exitCode + ", " + successfulCalls + " successful, " + failedCalls + " failed\n$ "
                    + commandLine + "\n" + tail + "\n-- errors --\n" + err;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The value of a column in the last line of sipp's semicolon-separated statistics. */
    private static long lastStat(String csv, String column) {
        String[] lines = csv.strip().split("\n");
        if (lines.length < 2) {
            return -1;
        }
        String[] names = lines[0].split(";");
        String[] values = lines[lines.length - 1].split(";");
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals(column)) {
                Matcher m = Pattern.compile("\\d+").matcher(values[i]);
                return m.find() ? Long.parseLong(m.group()) : -1;
            }
        }
        return -1;
    }
}
