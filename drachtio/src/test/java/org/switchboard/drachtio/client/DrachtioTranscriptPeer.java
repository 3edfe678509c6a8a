package org.switchboard.drachtio.client;

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
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.testing.interop.Interop;

/**
 * Plays drachtio-server's side of a recorded session byte for byte over loopback; where the recording has the
 * app speak, it reads one frame from the client under test and compares it with the recorded one (message ids
 * aside: the client's ids replace the recorded ones in everything the server says later, same length).
 */
final class DrachtioTranscriptPeer implements AutoCloseable {

    private record Chunk(boolean fromServer, byte[] bytes, boolean eof) {
    }

    private final List<Chunk> chunks = new ArrayList<>();
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    final List<String> mismatches = new CopyOnWriteArrayList<>();
    final List<DrachtioFrame> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    DrachtioTranscriptPeer(String transcript) throws IOException {
        Matcher m = Pattern.compile("\"dir\": \"(c2s|s2c)\", \"b64\": \"([^\"]*)\"(, \"text\": \"[^\\n]*?\")?(, \"eof\": true)?")
                .matcher(new String(Interop.bytes("transcripts/" + transcript), StandardCharsets.UTF_8));
        while (m.find()) {
            byte[] bytes = Base64.getDecoder().decode(m.group(2));
            chunks.add(new Chunk(m.group(1).equals("s2c"), bytes, bytes.length == 0));
        }
        thread = new Thread(this::play, "drachtio-transcript");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void play() {
        try (Socket s = server.accept()) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (Chunk c : chunks) {
                if (c.fromServer) {
                    if (c.eof) {
                        s.shutdownOutput();
                        continue;
                    }
                    String text = new String(c.bytes, StandardCharsets.UTF_8);
                    for (Map.Entry<String, String> e : ids.entrySet()) {
                        text = text.replace(e.getKey(), e.getValue());
                    }
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (!c.eof) {
                    for (DrachtioFrame expected : frames(c.bytes)) {
                        DrachtioFrame got = DrachtioFrame.parse(readPayload(in));
                        received.add(got);
                        ids.put(expected.id(), got.id());
                        if (!got.tokens().subList(1, got.tokens().size()).equals(expected.tokens().subList(1, expected.tokens().size()))
                                || !got.sipMessage().equals(expected.sipMessage())) {
                            mismatches.add("expected " + expected + " but the client sent " + got);
                        }
                    }
                }
            }
        } catch (IOException e) {
            mismatches.add("transcript peer failed: " + e);
        }
    }

    private static List<DrachtioFrame> frames(byte[] chunk) {
        List<DrachtioFrame> out = new ArrayList<>();
        int pos = 0;
        while (pos < chunk.length) {
            int hash = pos;
            while (chunk[hash] != '#') {
                hash++;
            }
            int length = Integer.parseInt(new String(chunk, pos, hash - pos, StandardCharsets.US_ASCII));
            out.add(DrachtioFrame.parse(new String(chunk, hash + 1, length, StandardCharsets.UTF_8)));
            pos = hash + 1 + length;
        }
        return out;
    }

    private static String readPayload(InputStream in) throws IOException {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        for (int b = in.read(); b != '#'; b = in.read()) {
            if (b < 0) {
                throw new IOException("client closed before a whole frame");
            }
            digits.write(b);
        }
        return new String(in.readNBytes(Integer.parseInt(digits.toString(StandardCharsets.US_ASCII))), StandardCharsets.UTF_8);
    }

    void await() throws InterruptedException {
        thread.join(15_000);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
