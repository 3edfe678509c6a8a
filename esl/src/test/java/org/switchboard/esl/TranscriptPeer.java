package org.switchboard.esl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.testing.interop.Interop;

/**
 * Plays the FreeSWITCH side of a recorded event socket transcript, byte for byte, over a loopback TCP
 * socket: it sends each recorded switch chunk in turn and, where the recording has the client speak,
 * reads one command from the client under test and checks it against the recorded one. A client-chosen
 * Job-UUID replaces the one FreeSWITCH generated, in every later chunk (same length, so every
 * Content-Length stays exact).
 */
public final class TranscriptPeer implements AutoCloseable {

    private static final Pattern JOB = Pattern.compile("Job-UUID: ([0-9a-f-]{36})");
    private static final Pattern EVENT_UUID = Pattern.compile("Event-UUID: ([0-9a-f-]{36})");

    record Chunk(boolean fromSwitch, byte[] bytes, boolean eof) {
    }

    private final List<Chunk> chunks;
    private final ServerSocket server;
    private final int connectTo;
    private final List<String> mismatches = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> substitutions = new ConcurrentHashMap<>();
    private final Thread thread;

    /** Plays the accepting side (s2c) of a transcript on a fresh loopback port. */
    public TranscriptPeer(String transcript) throws IOException {
        this(transcript, true, 0);
    }

    /** Plays the connecting side (c2s) of a transcript against a server under test, as FreeSWITCH's outbound socket does. */
    static TranscriptPeer connectingTo(String transcript, int port) throws IOException {
        return new TranscriptPeer(transcript, false, port);
    }

    private TranscriptPeer(String transcript, boolean accepting, int port) throws IOException {
        List<Chunk> recorded = load(transcript);
        // seen from the peer: its own chunks are the "switch" ones
        this.chunks = accepting ? recorded
                : recorded.stream().map(c -> new Chunk(!c.fromSwitch, c.bytes, c.eof)).toList();
        this.server = accepting ? new ServerSocket(0, 1, InetAddress.getLoopbackAddress()) : null;
        this.connectTo = port;
        this.thread = new Thread(this::play, "transcript-" + transcript);
        thread.setDaemon(true);
        thread.start();
    }

    static List<Chunk> load(String transcript) {
        List<Chunk> out = new ArrayList<>();
        String text = new String(Interop.bytes("transcripts/" + transcript), StandardCharsets.UTF_8);
        Pattern field = Pattern.compile("\"(dir|b64|eof)\": (\"[^\"]*\"|true|false)");
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = field.matcher(line);
            String dir = null;
            String b64 = "";
            boolean eof = false;
            while (m.find()) {
                String v = m.group(2).replace("\"", "");
                switch (m.group(1)) {
                    case "dir" -> dir = v;
                    case "b64" -> b64 = v;
                    default -> eof = Boolean.parseBoolean(v);
                }
            }
            out.add(new Chunk("s2c".equals(dir), Base64.getDecoder().decode(b64), eof));
        }
        return out;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Commands the client sent that differ from the recording (empty when it behaved exactly). */
    List<String> mismatches() {
        return mismatches;
    }

    /** Every command the client sent. */
    public List<String> received() {
        return received;
    }

    private void play() {
        try (Socket s = server != null ? server.accept() : new Socket(InetAddress.getLoopbackAddress(), connectTo)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (Chunk c : chunks) {
                if (c.fromSwitch) {
                    if (c.eof) {
                        s.shutdownOutput();
                        continue;
                    }
                    String text = new String(c.bytes, StandardCharsets.ISO_8859_1);
                    Matcher job = JOB.matcher(text);
                    if (job.find() && !substitutions.containsKey(job.group(1)) && substitutions.containsKey("pending")) {
                        substitutions.put(job.group(1), substitutions.remove("pending"));
                    }
                    for (Map.Entry<String, String> e : substitutions.entrySet()) {
                        text = text.replace(e.getKey(), e.getValue());
                    }
                    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else if (!c.eof) {
                    String expected = new String(c.bytes, StandardCharsets.UTF_8);
                    String got = readCommand(in);
                    received.add(got);
                    Matcher job = JOB.matcher(got);
                    if (job.find()) {
                        substitutions.put("pending", job.group(1));
                        got = got.replace("Job-UUID: " + job.group(1) + "\n", "");
                    }
                    Matcher sent = EVENT_UUID.matcher(got);
                    Matcher recordedUuid = EVENT_UUID.matcher(expected);
                    if (sent.find() && recordedUuid.find()) {
                        substitutions.put(recordedUuid.group(1), sent.group(1));
                        got = got.replace(sent.group(1), recordedUuid.group(1));
                    }
                    if (!got.equals(expected)) {
                        mismatches.add("expected " + expected.strip() + " but the client sent " + got.strip());
                    }
                }
            }
        } catch (IOException e) {
            mismatches.add("transcript peer failed: " + e);
        }
    }

    /** One command: lines up to an empty line, then its Content-Length body. */
    public static String readCommand(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before a full command: " + head);
            }
            head.write(b);
            if (b == '\n' && prev == '\n') {
                break;
            }
            prev = b;
        }
        String text = head.toString(StandardCharsets.UTF_8);
        Matcher cl = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(text);
        if (cl.find()) {
            text += new String(in.readNBytes(Integer.parseInt(cl.group(1))), StandardCharsets.UTF_8);
        }
        return text;
    }

    /** Waits until the whole transcript has been played. */
    void await() throws InterruptedException {
        thread.join(20_000);
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
