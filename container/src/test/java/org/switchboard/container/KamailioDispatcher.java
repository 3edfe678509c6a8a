package org.switchboard.container;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.switchboard.testing.poll.Poll;

/**
 * Debian's Kamailio as a round-robin, record-routing dispatcher in front of containers, started as a process on
 * loopback with the configuration operators are given ({@code config/kamailio/dispatcher.cfg}). What it routed is
 * read back from the {@code SBK} lines the configuration logs ({@link Event}).
 */
final class KamailioDispatcher implements AutoCloseable {

    /** Where Debian installs it. */
    static final Path BINARY = Path.of("/usr/sbin/kamailio");
    /** The interval of the OPTIONS probes of each container. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a container may leave a request or a probe without any answer before Kamailio counts it down: long
     * enough for a container's first calls on a loaded machine (its JIT still cold).
     */
    static final Duration NO_ANSWER = Duration.ofSeconds(4);
    /** How long a call answered only provisionally (by a container killed then) may wait before Kamailio's 408. */
    static final Duration RING = Duration.ofSeconds(5);

    private final LoggedProcess process;
    private final int port;

    private KamailioDispatcher(LoggedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Kamailio on UDP {@code 127.0.0.1:port} dispatching to the containers {@code nodes} (SIP URIs). */
    static KamailioDispatcher start(Path dir, int port, List<String> nodes) throws IOException {
        Path work = Files.createDirectories(dir.resolve("kamailio"));
        Path list = work.resolve("dispatcher.list");
        Files.writeString(list, nodes.stream().map(n -> "1 " + n + "\n").collect(Collectors.joining()));
        Path cfg = work.resolve("kamailio.cfg");
        Files.writeString(cfg, Files.readString(Path.of("../config/kamailio/dispatcher.cfg"))
                .replace("@LISTEN@", "udp:127.0.0.1:" + port)
                .replace("@LIST_FILE@", list.toString())
                .replace("@PROBE_INTERVAL@", Long.toString(PROBE_INTERVAL.toSeconds()))
                .replace("@NO_ANSWER_TIMEOUT@", Long.toString(NO_ANSWER.toSeconds()))
                .replace("@RING_TIMEOUT@", Long.toString(RING.toSeconds())));
        return new KamailioDispatcher(LoggedProcess.start("kamailio", new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(),
                "-DD", "-E", "-Y", work.toString(), "-w", work.toString(), "-m", "64", "-M", "8"), work.resolve("kamailio.log")), port);
    }

    /** Where callers send: {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /**
     * Waits until a request through Kamailio gets a container's answer (an OPTIONS to a user: any final answer but
     * Kamailio's own 503 when no container is up).
     */
    KamailioDispatcher awaitRouting(Duration limit) throws InterruptedException, IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(500);
            Poll.await(limit, "an answer through Kamailio: " + log(), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kamailio exited: " + log());
                }
                return answered(socket);
            });
        }
        return this;
    }

    private boolean answered(DatagramSocket socket) {
        int local = socket.getLocalPort();
        String branch = "z9hG4bK" + UUID.randomUUID();
        String options = "OPTIONS sip:ready@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=" + branch + "\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:ready@127.0.0.1>\r\n"
                + "Call-ID: " + branch + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[4096];
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            while (true) {
                socket.receive(answer);
                String status = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
                if (status.matches("SIP/2\\.0 [2-6]\\d\\d .*")) {
                    return !status.startsWith("SIP/2.0 503");
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Kamailio routed so far, in the order it logged it. */
    List<Event> events() {
        return log().lines().map(Event::parse).flatMap(Optional::stream).toList();
    }

    /** The INVITEs {@code node} answered 200 (a call it took). */
    List<Event> callsTakenBy(String node) {
        return events().stream().filter(e -> e.kind().equals("reply") && e.status() == 200 && e.method().equals("INVITE")
                && e.node().equals(node)).toList();
    }

    /** The calls whose last try went to {@code node} (their INVITE was dispatched there and not failed over after). */
    Set<String> callsLastSentTo(String node) {
        Map<String, String> last = new HashMap<>();
        events().stream().filter(e -> e.kind().equals("dispatch") && e.method().equals("INVITE")).forEach(e -> last.put(e.callId(), e.node()));
        return last.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** The calls ended by a BYE that got 200. */
    Set<String> callsEnded() {
        return events().stream().filter(e -> e.kind().equals("reply") && e.method().equals("BYE") && e.status() == 200)
                .map(Event::callId).collect(Collectors.toSet());
    }

    /** The INVITEs dispatched to {@code node} (the first try and fail-overs). */
    List<Event> invitesSentTo(String node) {
        return events().stream().filter(e -> e.kind().equals("dispatch") && e.method().equals("INVITE") && e.node().equals(node))
                .toList();
    }

    String log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    /**
     * One {@code SBK} line: {@code dispatch} (a new request sent to {@code node}), {@code reply} (a final answer from
     * {@code node}, {@code status} set) or {@code down} (a new request {@code node} refused with 503 or left unanswered,
     * which Kamailio marks down and fails over).
     */
    record Event(String kind, Instant time, int status, String method, String callId, String node) {

        static Optional<Event> parse(String line) {
            int at = line.indexOf("SBK ");
            if (at < 0) {
                return Optional.empty();
            }
            String[] f = line.substring(at + 4).trim().split(" ");
            String[] seconds = f[1].split("\\.");
            Instant time = Instant.ofEpochSecond(Long.parseLong(seconds[0]), Long.parseLong(seconds[1]) * 1000);
            return Optional.of(f[0].equals("reply")
                    ? new Event(f[0], time, Integer.parseInt(f[2]), f[3], f[4], f[5])
                    : new Event(f[0], time, 0, f[2], f[3], f[4]));
        }
    }
}
