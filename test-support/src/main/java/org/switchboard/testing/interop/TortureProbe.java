package org.switchboard.testing.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Sends one torture message to a server and tells what came back, in the terms of the corpus index's accept
 * column: the status of the first final response, {@code none} when nothing final comes within the quiet time, or
 * {@code closed} when the server closed the stream connection first.
 */
public final class TortureProbe {

    private TortureProbe() {
    }

    /** What {@code server} answers to {@code message} sent over {@code transport} ({@code udp} or {@code tcp}). */
    public static String answer(byte[] message, String transport, InetSocketAddress server, Duration quiet)
            throws IOException {
        return transport.equals("udp") ? overUdp(message, server, quiet)
                : overStream(SocketFactory.getDefault(), message, server, quiet);
    }

    /** What {@code server} answers to {@code message} sent over a stream of {@code sockets} (TLS, for instance). */
    public static String answer(byte[] message, SocketFactory sockets, InetSocketAddress server, Duration quiet)
            throws IOException {
        return overStream(sockets, message, server, quiet);
    }

    /**
     * How long to wait for a final answer: {@code quiet} where the index allows none (so silence is what passes),
     * else up to ten seconds, since on a loaded machine an expected answer may take longer than any quiet time.
     */
    public static Duration patience(String accept, String transport, Duration quiet) {
        return allows(accept, transport, "none") ? quiet : Duration.ofSeconds(10);
    }

    /**
     * Whether the index's {@code accept} rule allows {@code outcome} over {@code transport} ({@code tls} follows the
     * {@code tcp} rules: the same stream framing under the encryption).
     */
    public static boolean allows(String accept, String transport, String outcome) {
        String rules = transport.equals("tls") ? "tcp" : transport;
        return Arrays.stream(accept.split("\\|"))
                .filter(a -> !a.contains(":") || a.startsWith(rules + ":"))
                .map(a -> a.contains(":") ? a.substring(a.indexOf(':') + 1) : a)
                .anyMatch(rule -> matches(rule, outcome));
    }

    private static boolean matches(String rule, String outcome) {
        return switch (rule) {
            case "parsed" -> outcome.matches("[1-6]\\d\\d") && !outcome.equals("400");
            case "none" -> outcome.equals("none");
            case "closed" -> outcome.equals("closed");
            default -> rule.endsWith("xx") ? outcome.charAt(0) == rule.charAt(0) : rule.equals(outcome);
        };
    }

    private static String overUdp(byte[] bytes, InetSocketAddress server, Duration quiet) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout((int) quiet.toMillis());
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            byte[] buffer = new byte[65535];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return "none";
                }
                String status = status(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
                if (status != null && status.charAt(0) != '1') {
                    return status;
                }
            }
        }
    }

    private static String overStream(SocketFactory sockets, byte[] bytes, InetSocketAddress server, Duration quiet)
            throws IOException {
        try (Socket socket = sockets.createSocket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout((int) quiet.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[65535];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    return "none";
                } catch (IOException e) {
                    return "closed";
                }
                if (n < 0) {
                    return finalStatus(received.toString()).orElse("closed");
                }
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                Optional<String> status = finalStatus(received.toString());
                if (status.isPresent()) {
                    return status.get();
                }
            }
        }
    }

    private static Optional<String> finalStatus(String stream) {
        for (String part : stream.split("(?=SIP/2\\.0 \\d\\d\\d )")) {
            String status = status(part);
            if (status != null && status.charAt(0) != '1') {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    private static String status(String message) {
        return message.startsWith("SIP/2.0 ") && message.length() >= 11 ? message.substring(8, 11) : null;
    }
}
