package org.switchboard.container;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.switchboard.testing.poll.Poll;

/**
 * A container in its own JVM, started as the launcher starts {@code ./switchboard run} (its class path and logging
 * configuration), its output in a log file: what a SIGTERM and a {@code kill -9} are tried on.
 */
final class ContainerProcess implements AutoCloseable {

    private static final Pattern ENDED = Pattern.compile("SBC-110 call ended call-id=(\\S+)");
    private static final Pattern DISPATCHED = Pattern.compile("^(\\S+) DEBUG .* INVITE \\S+ call-id=(\\S+) -> ");

    private final LoggedProcess process;

    private ContainerProcess(LoggedProcess process) {
        this.process = process;
    }

    /**
     * Starts {@code Main} with {@code args} in {@code dir} (its log {@code run.log} and temporary folder {@code tmp}
     * there) and {@code environment} added to its environment, the sample WAR {@code sample} ({@code uas},
     * {@code registrar-proxy}) deployed.
     */
    static ContainerProcess start(String name, Path dir, String sample, Map<String, String> environment, List<String> args)
            throws IOException {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of("target/samples/sample-" + sample + ".war"), deployments.resolve(sample + ".war"),
                StandardCopyOption.REPLACE_EXISTING);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("run.log");
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.io.tmpdir=" + tmp, "-Dlogback.configurationFile=" + Path.of("../config/logback.xml").toAbsolutePath(),
                "-cp", classPath, Main.class.getName(), "--deployments", deployments.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SWITCHBOARD_LOG_LEVEL"); // the flags alone set it
        pb.environment().putAll(environment);
        return new ContainerProcess(LoggedProcess.start(name, pb, log));
    }

    /** Starts a container on the embedded server whose SIP listens on UDP {@code 127.0.0.1:sipPort}, media off. */
    static ContainerProcess embedded(String name, Path dir, int sipPort, String... settings) throws IOException {
        return embedded(name, dir, sipPort, "uas", Map.of(), settings);
    }

    /** As {@link #embedded(String, Path, int, String...)}, with the sample {@code sample} and {@code environment}. */
    static ContainerProcess embedded(String name, Path dir, int sipPort, String sample, Map<String, String> environment,
            String... settings) throws IOException {
        return withSettings(name, dir, sample, environment, List.of("sip.contacts=sip:127.0.0.1:" + sipPort + ";transport=udp"),
                settings);
    }

    /**
     * Starts a container connected inbound to the drachtio server whose app port is {@code 127.0.0.1:drachtioPort}
     * (secret {@code secret}), media off, logging at debug: its log then has a line per request it dispatches.
     */
    static ContainerProcess inbound(String name, Path dir, int drachtioPort, String secret, String... settings) throws IOException {
        return inbound(name, dir, "drachtio.port=" + drachtioPort, secret, settings);
    }

    /**
     * As {@link #inbound(String, Path, int, String, String...)}, connected to each of the drachtio servers whose app
     * ports are {@code drachtioPorts} on 127.0.0.1 at once ({@code drachtio.servers}).
     */
    static ContainerProcess inbound(String name, Path dir, List<Integer> drachtioPorts, String secret, String... settings)
            throws IOException {
        return inbound(name, dir, drachtioPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",", "drachtio.servers=", "")),
                secret, settings);
    }

    private static ContainerProcess inbound(String name, Path dir, String servers, String secret, String... settings) throws IOException {
        return withSettings(name, dir, "uas", Map.of(), List.of("drachtio.mode=inbound", servers, "drachtio.secret=" + secret),
                settings, "--log-level", "debug");
    }

    /**
     * Starts a container in outbound mode listening for the drachtio server on a free loopback port (secret
     * {@code secret}), media off, logging at debug; once started, {@link #loggedPort} reads where it listens.
     */
    static ContainerProcess outbound(String name, Path dir, String secret, String... settings) throws IOException {
        return withSettings(name, dir, "uas", Map.of(), List.of("drachtio.mode=outbound", "drachtio.listen=127.0.0.1:0",
                "drachtio.secret=" + secret), settings, "--log-level", "debug");
    }

    /** The port of the first start-up line holding {@code before} followed by {@code 127.0.0.1:PORT}. */
    int loggedPort(String before) {
        Matcher m = Pattern.compile(Pattern.quote(before) + "[ /]*127\\.0\\.0\\.1:(\\d+)").matcher(log());
        if (!m.find()) {
            throw new AssertionError(process + " logged no '" + before + "' address: " + log());
        }
        return Integer.parseInt(m.group(1));
    }

    private static ContainerProcess withSettings(String name, Path dir, String sample, Map<String, String> environment,
            List<String> base, String[] settings, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of(flags));
        for (String setting : Stream.concat(Stream.of("admin.listen=127.0.0.1:0", "media.mode=none"),
                Stream.concat(base.stream(), Stream.of(settings))).toList()) {
            args.addAll(List.of("--set", setting));
        }
        return start(name, Files.createDirectories(dir.resolve(name)), sample, environment, args);
    }

    /** Waits for the container's start-up line. */
    ContainerProcess awaitStarted(Duration limit) throws InterruptedException {
        Poll.await(limit, process + " started", () -> log().contains("switchboard started") || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException(process + " exited at start: " + log());
        }
        return this;
    }

    /** SIGTERM: the graceful stop. */
    void terminate() {
        process.terminate();
    }

    /** SIGKILL ({@code kill -9}). */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** Waits for the process to exit; whether it did within {@code limit}. */
    boolean awaitExit(Duration limit) throws InterruptedException {
        return process.awaitExit(limit.toMillis());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the container wrote so far. */
    String log() {
        return process.log();
    }

    /** The Call-IDs of the calls the container logged at their end ({@code SBC-110}). */
    Set<String> callsEnded() {
        return log().lines().map(ENDED::matcher).filter(Matcher::find).map(m -> m.group(1)).collect(Collectors.toSet());
    }

    /** The INVITEs the container handed to an application, with the time it logged it (needs debug logging). */
    Map<String, LocalTime> invitesDispatched() {
        Map<String, LocalTime> invites = new LinkedHashMap<>();
        log().lines().map(DISPATCHED::matcher).filter(Matcher::find)
                .forEach(m -> invites.put(m.group(2), LocalTime.parse(m.group(1))));
        return invites;
    }

    /** The time of the first line of the log holding {@code text}. */
    LocalTime loggedAt(String text) {
        String log = log();
        return log.lines().filter(l -> l.contains(text)).findFirst().map(l -> LocalTime.parse(l.substring(0, 12)))
                .orElseThrow(() -> new AssertionError(process + " never logged " + text + ": " + log));
    }

    /** SIGKILL: a test that ends leaves no container behind, whatever it did. */
    @Override
    public void close() throws InterruptedException {
        process.kill();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
