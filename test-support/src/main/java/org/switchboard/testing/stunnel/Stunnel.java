package org.switchboard.testing.stunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;

/**
 * stunnel in server mode as a process: each named front accepts TLS on a free loopback port with its own identity
 * and relays the plain bytes to a loopback port. The usual way to put TLS before FreeSWITCH's event socket.
 */
public final class Stunnel implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final Map<String, Integer> ports;

    private Stunnel(Process process, Path log, Map<String, Integer> ports) {
        this.process = process;
        this.log = log;
        this.ports = ports;
    }

    /** A TLS front: its name, the plain loopback port it relays to, and the certificate it presents. */
    public record Front(String name, int connectPort, TestCertificates.Identity identity) {
    }

    /** Debian's stunnel binary, or empty when it is not installed (scripts/install-test-peers installs stunnel4). */
    public static Optional<Path> binary() {
        return Stream.of("/usr/bin/stunnel4", "/usr/bin/stunnel").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts stunnel with {@code fronts}, its files in {@code dir}; returns once every front listens.
     *
     * @throws IllegalStateException when stunnel is not installed or does not listen within 20 s (its log attached)
     */
    public static Stunnel start(Path dir, List<Front> fronts) throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("stunnel is not installed"));
        Path log = dir.resolve("stunnel.log");
        List<String> conf = new ArrayList<>(List.of("foreground = yes", "pid =", "debug = 5", "output = " + log));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Front f : fronts) {
            int port = FreePorts.tcp();
            ports.put(f.name(), port);
            conf.addAll(List.of("[" + f.name() + "]", "accept = 127.0.0.1:" + port, "connect = 127.0.0.1:" + f.connectPort(),
                    "cert = " + f.identity().certificate(), "key = " + f.identity().privateKey()));
        }
        Path file = Files.write(dir.resolve("stunnel.conf"), conf, StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder(binary.toString(), file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stunnel.out").toFile()).start();
        Stunnel stunnel = new Stunnel(process, log, Map.copyOf(ports));
        boolean listening = Poll.until(START_LIMIT,
                () -> !process.isAlive() || ports.values().stream().allMatch(BoundPorts::tcpListening));
        if (!listening || !process.isAlive()) {
            stunnel.close();
            throw new IllegalStateException("stunnel did not listen on " + ports + ": " + stunnel.log());
        }
        return stunnel;
    }

    /** The TLS port of the front named {@code name}. */
    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no front named " + name + " (" + ports.keySet() + ")");
        }
        return port;
    }

    /** What stunnel logged so far, for assertion messages. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(no log yet)";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
