package org.switchboard.testing.baresip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;

/**
 * One headless baresip softphone for a test, on loopback: its configuration folder is made by the builder, its
 * microphone is a WAV file it loops through once (a tone, or silence), what it hears is dumped by baresip's
 * {@code sndfile} filter, and it is driven over {@code ctrl_tcp} (JSON commands in netstrings: {@code dial},
 * {@code sndcode} for RFC 4733 digits, {@code hangup}; call events come back on the same socket). No sound card
 * module is loaded. A test run where baresip is not installed is skipped (a JUnit assumption).
 *
 * <p>One call at a time: {@link #heard()} is what the last call heard.
 */
public final class Baresip implements AutoCloseable {

    /** Where Debian's baresip-core installs the binary and the modules. */
    private static final Path BINARY = Path.of("/usr/bin/baresip");
    private static final Path MODULES = Path.of("/usr/lib/baresip/modules");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final Duration REPLY_LIMIT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 3;
    private static final int VOICE_RATE = 8000;
    /** A quarter of full scale: three voices mixed in a conference do not clip. */
    private static final int VOICE_LEVEL = 8000;
    /** The microphone's length: baresip ends the call when its source file ends. */
    private static final int VOICE_SECONDS = 180;
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([A-Z_]+)\"");
    private static final Pattern PARAM = Pattern.compile("\"param\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]*)\"");

    private final Process process;
    private final Path dir;
    private final Socket control;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private int tokens;

    private Baresip(Process process, Path dir, Socket control) {
        this.process = process;
        this.dir = dir;
        this.control = control;
    }

    /** A phone reading its control socket's messages on a thread of its own (they block on the socket). */
    private static Baresip reading(Process process, Path dir, Socket control) {
        Baresip phone = new Baresip(process, dir, control);
        Thread reader = new Thread(phone::readControl, "baresip-control-" + dir.getFileName());
        reader.setDaemon(true);
        reader.start();
        return phone;
    }

    /** Whether Debian's baresip is installed here. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** A softphone whose files (configuration, microphone, log, what it heard) live in {@code dir}. */
    public static Builder phone(Path dir) {
        return new Builder(dir);
    }

    /** Calls {@code uri} (such as {@code sip:ivr@127.0.0.1:5060}); the call's progress comes as events. */
    public void dial(String uri) {
        command("dial", uri);
    }

    /** Sends {@code digits} ({@code 0-9*#A-D}) as RFC 4733 events, one after the other. */
    public void sendDigits(String digits) {
        command("sndcode", digits);
    }

    /** Hangs the call up. */
    public void hangUp() {
        command("hangup", null);
    }

    /**
     * Waits for call event {@code type} (such as {@code CALL_ESTABLISHED}, {@code CALL_CLOSED}) and returns its
     * parameter (for {@code CALL_CLOSED}, the reason); fails with baresip's events and log when it does not come.
     */
    public String awaitEvent(String type, Duration limit) {
        String[] param = new String[1];
        await(limit, "baresip event " + type, () -> {
            Optional<String> found = event(type);
            found.ifPresent(p -> param[0] = p);
            return found.isPresent();
        });
        return param[0];
    }

    /** The parameter of the first event {@code type} so far, if there was one. */
    public Optional<String> event(String type) {
        for (String message : received) {
            Matcher t = TYPE.matcher(message);
            if (message.contains("\"event\":true") && t.find() && t.group(1).equals(type)) {
                Matcher p = PARAM.matcher(message);
                return Optional.of(p.find() ? p.group(1) : "");
            }
        }
        return Optional.empty();
    }

    /** What the phone heard so far in its last call (nothing before the first call's media started). */
    public Heard heard() {
        try (Stream<Path> files = Files.list(dir.resolve("heard"))) {
            Optional<Path> last = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).max(Path::compareTo);
            return last.isPresent() ? Heard.read(last.get()) : Heard.NOTHING;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what baresip heard in " + dir, e);
        }
    }

    /**
     * What the phone hears over the next {@code span} of audio it receives (measured in samples received, not in
     * wall-clock time); fails when that much does not come within {@code span} plus {@code slack}.
     */
    public Heard listen(Duration span, Duration slack) {
        long from = heard().millis();
        await(span.plus(slack), span.toMillis() + " ms more of audio heard (" + from + " ms so far)",
                () -> heard().millis() >= from + span.toMillis());
        return heard().since(from);
    }

    /** What baresip logged so far, for assertion messages (it names the codec and the SRTP suite of a call). */
    public String log() {
        try {
            return Files.readString(dir.resolve("baresip.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops baresip. */
    @Override
    public void close() {
        try {
            control.close();
        } catch (IOException e) {
            // the process goes anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Sends a command and waits for its reply, which must be {@code ok}. */
    private synchronized void command(String name, String params) {
        String token = "t" + ++tokens;
        String json = "{\"command\":\"" + name + "\",\"params\":" + (params == null ? "null" : quote(params))
                + ",\"token\":\"" + token + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try {
            OutputStream out = control.getOutputStream();
            out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(',');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("baresip control: cannot send " + json, e);
        }
        String[] reply = new String[1];
        await(REPLY_LIMIT, "baresip's reply to " + json, () -> {
            reply[0] = received.stream().filter(m -> m.contains("\"response\":true")).filter(m -> {
                Matcher t = TOKEN.matcher(m);
                return t.find() && t.group(1).equals(token);
            }).findFirst().orElse(null);
            return reply[0] != null;
        });
        if (!reply[0].contains("\"ok\":true")) {
            throw new AssertionError("baresip refused " + json + ": " + reply[0]);
        }
    }

    /** Reads the control socket's netstrings ({@code <length>:<json>,}) until it closes. */
    private void readControl() {
        try {
            InputStream in = control.getInputStream();
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < '0' || c > '9') {
                        return; // closed, or out of step: no more messages
                    }
                    length = length * 10 + (c - '0');
                }
                byte[] body = in.readNBytes(length);
                if (body.length < length || in.read() != ',') {
                    return;
                }
                received.add(new String(body, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // closed by close(), or baresip ended: the waits report it
        }
    }

    /** Waits for {@code condition}; fails with baresip's messages and log when it does not hold in time. */
    private void await(Duration limit, String what, BooleanSupplier condition) {
        try {
            Poll.await(limit, what, () -> {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("baresip ended (" + process.exitValue() + ") waiting for " + what);
                }
                return false;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; messages " + received + "; log:\n" + log(), e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** How a softphone is set up. */
    public static final class Builder {
        private final Path dir;
        private final List<String> codecs = new ArrayList<>(List.of("g711"));
        private String encryption;
        private double voiceHz;
        private String user = "baresip";

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** The user part of the phone's address (default {@code baresip}). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * The audio codec modules offered, in order (default {@code g711}: PCMU and PCMA); such as {@code g722} or
         * {@code opus} alone to offer only that codec.
         */
        public Builder codecs(String... modules) {
            codecs.clear();
            codecs.addAll(List.of(modules));
            return this;
        }

        /**
         * Media encryption by baresip's {@code srtp} module: {@code srtp-mand} offers {@code RTP/SAVP} with SDES
         * keys and accepts nothing else, {@code srtp} offers plain RTP with keys. Default none: plain RTP.
         */
        public Builder encryption(String mediaenc) {
            this.encryption = Objects.requireNonNull(mediaenc, "mediaenc");
            return this;
        }

        /** The phone's microphone: a steady tone of {@code hz} Hz at a quarter of full scale (default: silence). */
        public Builder voice(double hz) {
            this.voiceHz = hz;
            return this;
        }

        /** Starts baresip on free ports and connects to its control socket. */
        public Baresip start() {
            assumeTrue(installed(), "baresip is not installed (Debian baresip-core): run scripts/install-test-peers");
            try {
                Files.createDirectories(dir.resolve("heard"));
                Path voice = dir.resolve("voice.wav");
                writeVoice(voice);
                AssertionError last = null;
                // the free ports are picked before baresip binds them: another process may take one in between
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    try {
                        return launch(voice, FreePorts.udp(), FreePorts.tcp());
                    } catch (AssertionError e) {
                        last = e;
                    }
                }
                throw last;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start baresip in " + dir, e);
            }
        }

        private Baresip launch(Path voice, int sipPort, int controlPort) throws IOException {
            Files.writeString(dir.resolve("config"), config(voice, sipPort, controlPort));
            Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@127.0.0.1:" + sipPort + ">;regint=0"
                    + (encryption == null ? "" : ";mediaenc=" + encryption) + "\n");
            Path log = dir.resolve("baresip.log");
            Process process = new ProcessBuilder(BINARY.toString(), "-f", dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Poll.await(START_LIMIT, "baresip's control socket on TCP " + controlPort, () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("baresip ended (" + process.exitValue() + "): " + read(log));
                    }
                    return BoundPorts.tcpListening(controlPort);
                });
                return reading(process, dir, new Socket(InetAddress.getLoopbackAddress(), controlPort));
            } catch (AssertionError | InterruptedException | IOException e) {
                process.destroyForcibly();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
                throw e instanceof AssertionError a ? a : new AssertionError("baresip control: " + e, e);
            }
        }

        private String config(Path voice, int sipPort, int controlPort) {
            StringBuilder modules = new StringBuilder();
            for (String codec : codecs) {
                modules.append("module ").append(codec).append(".so\n");
            }
            // aubridge's player takes what is heard and drops it: no sound card; sndfile dumps it before that
            return "poll_method epoll\n"
                    + "sip_listen 127.0.0.1:" + sipPort + "\n"
                    + "net_interface 127.0.0.1\n"
                    + "audio_player aubridge,nil\n"
                    + "audio_alert aubridge,nil\n"
                    + "audio_source aufile," + voice + "\n"
                    // aufile wants a file at the codec's rate and channels; baresip resamples this one instead
                    + "ausrc_srate " + VOICE_RATE + "\nausrc_channels 1\n"
                    + "snd_path " + dir.resolve("heard") + "\n"
                    + "module_path " + MODULES + "\n"
                    + modules
                    + "module aufile.so\nmodule aubridge.so\nmodule sndfile.so\nmodule srtp.so\n"
                    + "module_tmp account.so\n"
                    + "module_app menu.so\nmodule_app ctrl_tcp.so\n"
                    + "ctrl_tcp_listen 127.0.0.1:" + controlPort + "\n";
        }

        private void writeVoice(Path file) throws IOException {
            int samples = VOICE_RATE * VOICE_SECONDS;
            ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
            b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
                    .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                    .putInt(VOICE_RATE).putInt(2 * VOICE_RATE).putShort((short) 2).putShort((short) 16)
                    .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
            for (int i = 0; i < samples; i++) {
                b.putShort((short) Math.round(VOICE_LEVEL * Math.sin(2 * Math.PI * voiceHz * i / VOICE_RATE)));
            }
            Files.write(file, b.array());
        }

        private static String read(Path log) {
            try {
                return Files.readString(log, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
