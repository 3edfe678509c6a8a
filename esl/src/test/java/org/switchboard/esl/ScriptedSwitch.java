package org.switchboard.esl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A switch scripted by the test, for faults no real switch can be made to produce on demand (stalls,
 * resets mid-frame, floods): it accepts connections, greets with auth/request, accepts any password (unless told otherwise) and
 * lets the test read commands and write raw bytes (or answers authentication as the test says).
 */
public final class ScriptedSwitch implements AutoCloseable {

    private final ServerSocket server;
    private final BlockingQueue<Socket> connections = new LinkedBlockingQueue<>();
    /** Commands the switch received before it answered (when it answers authentication itself). */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public ScriptedSwitch() throws IOException {
        this(command -> "+OK accepted");
    }

    /** A switch that answers each authentication command with {@code replyText} applied to it ({@code +OK accepted}, {@code -ERR invalid}). */
    public ScriptedSwitch(java.util.function.UnaryOperator<String> replyText) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (!server.isClosed()) {
                    Socket s = server.accept();
                    s.setSoTimeout(10_000);
                    write(s, "Content-Type: auth/request\n\n");
                    String command = TranscriptPeer.readCommand(s.getInputStream());
                    commands.add(command);
                    String reply = replyText.apply(command);
                    write(s, "Content-Type: command/reply\nReply-Text: " + reply + "\n\n");
                    if (reply.startsWith("-ERR")) {
                        s.close(); // as FreeSWITCH does after a refused password
                    } else {
                        connections.add(s);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "scripted-switch");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next authenticated connection. */
    public Socket next() throws InterruptedException {
        Socket s = connections.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no connection from the client");
        }
        return s;
    }

    public static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static String read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return TranscriptPeer.readCommand(in);
    }

    static String event(String name, String uuid, int seq) {
        String body = "Event-Name: " + name + "\nUnique-ID: " + uuid + "\nSeq: " + seq + "\n\n";
        return "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\nContent-Type: text/event-plain\n\n" + body;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
