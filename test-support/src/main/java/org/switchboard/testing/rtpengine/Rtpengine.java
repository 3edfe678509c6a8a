package org.switchboard.testing.rtpengine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;

/**
 * One rtpengine media relay for a test, in user space ({@code --table=-1}) on loopback, with its log in a folder of
 * the test's. A call through it is an {@link #offer} (the caller's SDP in, the SDP to send on out) and an
 * {@link #answer} (the callee's SDP in, the SDP for the caller out); the ng protocol's messages are bencoded
 * dictionaries over UDP, each a cookie, a space and the dictionary. A test run where rtpengine is not installed is
 * skipped (a JUnit assumption).
 */
public final class Rtpengine implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/rtpengine");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final int REPLY_MILLIS = 5000;
    private static final int ATTEMPTS = 3;
    /** The SDES suites rtpengine 10.5 offers: each but the one asked for is excluded from an offer. */
    private static final List<String> SUITES = List.of("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32",
            "AES_192_CM_HMAC_SHA1_80", "AES_192_CM_HMAC_SHA1_32", "AES_256_CM_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32",
            "F8_128_HMAC_SHA1_80", "F8_128_HMAC_SHA1_32", "NULL_HMAC_SHA1_80", "NULL_HMAC_SHA1_32", "AEAD_AES_256_GCM",
            "AEAD_AES_128_GCM");

    private final Process process;
    private final Path log;
    private final InetSocketAddress control;
    private int cookies;

    private Rtpengine(Process process, Path log, InetSocketAddress control) {
        this.process = process;
        this.log = log;
        this.control = control;
    }

    /** Whether Debian's rtpengine daemon is installed here. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts one, its log in {@code dir}; skips the test where rtpengine is not installed. */
    public static Rtpengine start(Path dir) {
        assumeTrue(installed(), "rtpengine is not installed (Debian rtpengine-daemon): run scripts/install-test-peers");
        AssertionError last = null;
        // the free ports are picked before rtpengine binds them: another process may take one in between
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return launch(dir, FreePorts.udp(), 20_000 + 40 * ThreadLocalRandom.current().nextInt(500));
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    private static Rtpengine launch(Path dir, int controlPort, int mediaPorts) {
        Path log = dir.resolve("rtpengine-" + controlPort + ".log");
        Process process;
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(BINARY.toString(), "--foreground", "--table=-1", "--interface=127.0.0.1",
                    "--listen-ng=127.0.0.1:" + controlPort, "--port-min=" + mediaPorts, "--port-max=" + (mediaPorts + 39),
                    "--log-stderr", "--log-level=6", "--no-fallback", "--delete-delay=0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start rtpengine", e);
        }
        Rtpengine rtpengine = new Rtpengine(process, log, new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort));
        try {
            Poll.await(START_LIMIT, "rtpengine answering ping on UDP " + controlPort, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("rtpengine ended (" + process.exitValue() + "): " + rtpengine.log());
                }
                return BoundPorts.udp(controlPort) && "pong".equals(rtpengine.command(Map.of("command", "ping"), 500).get("result"));
            });
            return rtpengine;
        } catch (AssertionError | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof AssertionError a ? a : new AssertionError("interrupted", e);
        }
    }

    /**
     * Offers the caller's plain {@code sdp} for call {@code callId}; returns the SDP to send on: SRTP (RTP/SAVP) with one
     * SDES crypto line of {@code suite}, rtpengine's ports and keys, no DTLS.
     */
    public String offerSrtp(String callId, String fromTag, String sdp, String suite) {
        List<String> others = new ArrayList<>();
        SUITES.stream().filter(s -> !s.equals(suite)).forEach(s -> others.add("no-" + s));
        Map<String, Object> offer = new TreeMap<>(Map.of("command", "offer", "call-id", callId, "from-tag", fromTag,
                "sdp", sdp, "transport-protocol", "RTP/SAVP", "DTLS", "off", "SDES", others));
        return sdp(offer);
    }

    /** Gives rtpengine the callee's answer {@code sdp}; returns the SDP for the caller, with rtpengine's port toward it. */
    public String answer(String callId, String fromTag, String toTag, String sdp) {
        return sdp(Map.of("command", "answer", "call-id", callId, "from-tag", fromTag, "to-tag", toTag, "sdp", sdp));
    }

    /** Ends the call in rtpengine. */
    public void delete(String callId) {
        command(Map.of("command", "delete", "call-id", callId), REPLY_MILLIS);
    }

    /** What rtpengine has logged. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private String sdp(Map<String, Object> command) {
        Map<String, Object> reply = command(command, REPLY_MILLIS);
        if (!"ok".equals(reply.get("result")) || !(reply.get("sdp") instanceof String sdp)) {
            throw new AssertionError("rtpengine refused " + command.get("command") + ": " + reply);
        }
        return sdp;
    }

    private Map<String, Object> command(Map<String, Object> command, int millis) {
        String cookie = "c" + (++cookies);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((cookie + " ").getBytes(StandardCharsets.US_ASCII));
        Bencode.write(command, out);
        byte[] request = out.toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(millis);
            socket.send(new DatagramPacket(request, request.length, control));
            byte[] buffer = new byte[65_535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            String text = new String(buffer, 0, reply.getLength(), StandardCharsets.ISO_8859_1);
            if (!text.startsWith(cookie + " ")) {
                throw new AssertionError("rtpengine answered another cookie: " + text);
            }
            return Bencode.readDictionary(buffer, cookie.length() + 1, reply.getLength());
        } catch (SocketTimeoutException e) {
            return Map.of("result", "no answer within " + millis + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException("rtpengine's control socket", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
