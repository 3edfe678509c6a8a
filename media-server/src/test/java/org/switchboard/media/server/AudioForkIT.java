package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.OutboundSession;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.testing.websocket.WebSocketTestServer;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.PortRange;
import org.switchboard.media.session.TestEar;
import org.switchboard.media.source.Sources;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;

/**
 * {@code uuid_audio_fork} end to end: a caller's call to the media server, the command as drachtio-fsmrf sends it,
 * and a WebSocket server in the test that checks the PCM it receives is the caller's tone (and, in stereo, the
 * channel's own on the right), sends prompts back (a playAudio message the controller plays, and streamed binary
 * audio) that the caller hears, and takes the texts, pause, resume and stop.
 */
class AudioForkIT {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String[] EVENTS = {"CHANNEL_EXECUTE_COMPLETE", "CUSTOM", "mod_audio_fork::connect", "mod_audio_fork::connect_failed",
        "mod_audio_fork::disconnect", "mod_audio_fork::play_audio", "mod_audio_fork::transcription",
        "mod_audio_fork::kill_audio", "mod_audio_fork::json"};
    static MediaServer server;
    static EslOutboundServer controller;
    static final BlockingQueue<OutboundSession> sessions = new LinkedBlockingQueue<>();
    static final BlockingQueue<EslEvent> custom = new LinkedBlockingQueue<>();
    static EventLoopGroup group;
    static MediaClock clock;
    static WebSocketTestServer ws;
    @TempDir
    static Path folder;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(folder.resolve("sounds"));
        server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43000, 43100)
                .sounds(folder.resolve("sounds"))
                .recordings(folder.resolve("recordings"))
                .sipTimers(TimerConfig.scaled(Duration.ofMillis(100)))
                .build());
        controller = EslOutboundServer.start(new InetSocketAddress(LOOPBACK, 0), EslClientConfig.builder().build(),
                session -> event -> {
                    if (event.eventName().equals("CUSTOM")) {
                        custom.add(event);
                    }
                }, sessions::add);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock = MediaClock.start();
        ws = new WebSocketTestServer(group, "audio.drachtio.org");
    }

    @AfterAll
    static void stop() {
        ws.close();
        controller.close();
        server.close();
        clock.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        custom.clear();
    }

    record Call(OutboundSession session, TestEar caller) {
        String uuid() {
            return session.uuid();
        }

        /** The command's output, {@code -ERR} and {@code -USAGE} included. */
        String fork(String args) {
            return api("uuid_audio_fork " + uuid() + " " + args);
        }

        String api(String command) {
            try {
                return session.api(command).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                String m = e.getCause().getMessage();
                return m.substring(m.indexOf(": -") + 2);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("api " + command, e);
            }
        }
    }

    private Call call() throws Exception {
        TestEar caller = new TestEar(group, clock, LOOPBACK, new PortRange(43200, 43300), 20);
        cleanup.add(caller);
        SipPhone phone = new SipPhone(server.sipAddress());
        cleanup.add(phone);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "drachtio-fsmrf:" + java.util.UUID.randomUUID());
        headers.put("X-esl-outbound", "127.0.0.1:" + controller.address().getPort());
        var ok = phone.invite(headers, SipPhone.sdp(caller.rtp.localPort(), "0 101"));
        assertThat(ok.status()).isEqualTo(200);
        phone.ack(phone.lastInviteSeq(), null);
        OutboundSession session = sessions.poll(5, TimeUnit.SECONDS);
        assertThat(session).as("the outbound event socket connection").isNotNull();
        cleanup.add(0, session);
        session.subscribe(EventFormat.JSON, EVENTS).get(5, TimeUnit.SECONDS);
        Matcher port = Pattern.compile("m=audio (\\d+)").matcher(ok.bodyAsString());
        assertThat(port.find()).isTrue();
        caller.rtp.remote(new InetSocketAddress(LOOPBACK, Integer.parseInt(port.group(1))));
        return new Call(session, caller);
    }

    private static EslEvent awaitCustom(String subclass) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            EslEvent e = custom.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.header("Event-Subclass").orElse("").equals(subclass)) {
                return e;
            }
        }
        throw new AssertionError("no " + subclass + " event");
    }

    private static WebSocketTestServer.Peer awaitPeer(int index) throws InterruptedException {
        return awaitPeer(ws, index);
    }

    private static WebSocketTestServer.Peer awaitPeer(WebSocketTestServer server, int index)
            throws InterruptedException {
        Poll.await(Duration.ofSeconds(10), "connection " + index + " to the WebSocket server",
                () -> server.peers.size() > index);
        return server.peers.get(index);
    }

    /** Waits until the peer received {@code seconds} of audio at {@code rate} ({@code channels} interleaved). */
    private static short[] awaitAudio(WebSocketTestServer.Peer peer, int rate, int channels, double seconds)
            throws InterruptedException {
        int from = peer.samples().length;
        int wanted = (int) (rate * channels * seconds);
        Poll.await(Duration.ofSeconds(10), seconds + " s of audio", () -> peer.samples().length - from >= wanted);
        short[] all = peer.samples();
        return java.util.Arrays.copyOfRange(all, all.length - wanted, all.length);
    }

    private static short[] channel(short[] interleaved, int which) {
        short[] out = new short[interleaved.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = interleaved[2 * i + which];
        }
        return out;
    }

    private static double level(short[] s, double freq, int rate) {
        return Goertzel.amplitude(s, 0, s.length, freq, rate);
    }

    private static short[] tone(double freq, int rate, double seconds) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    @Test
    void theServerHearsTheCallerAndTheCallerHearsThePromptsItSendsBack() throws Exception {
        Call call = call();
        int peers = ws.peers.size();
        call.caller().rtp.play(Sources.open("tone_stream://%(60000,0,440)", folder, 8000), null);
        // as drachtio-fsmrf's forkAudioStart sends it: ^^| separated, bug name and metadata always there
        String reply = call.api("uuid_audio_fork ^^|" + call.uuid() + "|start|" + ws.url("/calls/1")
                + "|mono|16k||'{\"callId\":\"c1\"}'|true|false|");
        assertThat(reply).startsWith("+OK");
        EslEvent connected = awaitCustom("mod_audio_fork::connect");
        assertThat(connected.uniqueId()).contains(call.uuid());
        WebSocketTestServer.Peer peer = awaitPeer(peers);
        assertThat(peer.subprotocol).isEqualTo("audio.drachtio.org");
        assertThat(peer.path).isEqualTo("/calls/1");
        Poll.await(Duration.ofSeconds(5), "the metadata", () -> !peer.texts.isEmpty());
        assertThat(peer.texts.get(0)).isEqualTo("{\"callId\":\"c1\"}");

        // the PCM at 16 kHz is the caller's 440 Hz, and nothing near 1 kHz
        short[] heard = awaitAudio(peer, 16000, 1, 1.0);
        assertThat(level(heard, 440, 16000)).as("the caller's tone in the fork").isGreaterThan(1000);
        assertThat(level(heard, 1000, 16000)).isLessThan(level(heard, 440, 16000) / 50);
        // upsampled without images: nothing at 8000 - 440 Hz or above 4 kHz
        assertThat(level(heard, 7560, 16000)).isLessThan(level(heard, 440, 16000) / 100);

        // a playAudio message: the controller is told the file, plays it, and the caller hears it
        String prompt = Base64.getEncoder().encodeToString(toBytes(tone(700, 16000, 1.0)));
        peer.sendText("{\"type\":\"playAudio\",\"data\":{\"audioContentType\":\"raw\",\"sampleRate\":16000,"
                + "\"audioContent\":\"" + prompt + "\",\"textContent\":\"hello\"}}");
        EslEvent play = awaitCustom("mod_audio_fork::play_audio");
        var data = new ObjectMapper().readTree(play.body());
        assertThat(data.has("audioContent")).isFalse();
        assertThat(data.path("textContent").asText()).isEqualTo("hello");
        String file = data.path("file").asText();
        assertThat(Path.of(file)).exists();
        call.caller().clear();
        EslEvent played = call.session().execute("playback", file).get(5, TimeUnit.SECONDS);
        assertThat(played.header("Application-Response")).contains("FILE PLAYED");
        Poll.await(Duration.ofSeconds(5), "the playAudio prompt heard", () -> call.caller().amplitudeAt(700) > 1000);

        // streamed audio in binary frames: played to the caller as it comes
        call.caller().clear();
        short[] streamed = tone(1200, 16000, 1.0);
        for (int i = 0; i < 50; i++) {
            peer.sendPcm(java.util.Arrays.copyOfRange(streamed, i * 320, (i + 1) * 320));
        }
        Poll.await(Duration.ofSeconds(5), "the streamed audio heard", () -> call.caller().amplitudeAt(1200) > 1000);

        // a transcription becomes an event with its data
        peer.sendText("{\"type\":\"transcription\",\"data\":{\"text\":\"hi there\"}}");
        assertThat(awaitCustom("mod_audio_fork::transcription").body()).contains("hi there");

        // send_text, pause, resume, stop with a final text
        assertThat(call.fork("send_text {\"more\":1}")).startsWith("+OK");
        Poll.await(Duration.ofSeconds(5), "the text", () -> peer.texts.contains("{\"more\":1}"));
        assertThat(call.fork("pause")).startsWith("+OK");
        // frames already on their way when paused still arrive: wait until 100 ms bring none
        long[] last = {-1, System.nanoTime()};
        Poll.await(Duration.ofSeconds(5), "the audio to stop", () -> {
            int now = peer.pcm().length;
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] > 100_000_000;
        });
        int paused = peer.pcm().length;
        Poll.holds(Duration.ofMillis(400), "no audio while paused", () -> peer.pcm().length == paused);
        assertThat(call.fork("resume")).startsWith("+OK");
        awaitAudio(peer, 16000, 1, 0.2);
        assertThat(call.fork("stop {\"done\":true}")).startsWith("+OK");
        Poll.await(Duration.ofSeconds(5), "the connection closed", () -> peer.closed);
        assertThat(peer.texts).endsWith("{\"done\":true}");
        assertThat(peer.closeFrameReceived).isTrue();
        assertThat(call.fork("send_text {\"late\":1}")).startsWith("-ERR");
        Poll.holds(Duration.ofMillis(300), "no disconnect event after a stop",
                () -> custom.stream().noneMatch(e -> e.header("Event-Subclass").orElse("").endsWith("disconnect")));
    }

    @Test
    void stereoPutsTheCallerLeftAndTheChannelRightAndTheServerClosingIsADisconnect() throws Exception {
        Call call = call();
        int peers = ws.peers.size();
        call.caller().rtp.play(Sources.open("tone_stream://%(60000,0,440)", folder, 8000), null);
        call.session().execute("playback", "tone_stream://%(60000,0,1000)");
        assertThat(call.fork("start " + ws.url("/s") + " stereo 8000 mine")).startsWith("+OK");
        WebSocketTestServer.Peer peer = awaitPeer(peers);
        short[] both = awaitAudio(peer, 8000, 2, 1.0);
        short[] left = channel(both, 0);
        short[] right = channel(both, 1);
        assertThat(level(left, 440, 8000)).isGreaterThan(1000);
        assertThat(level(left, 1000, 8000)).isLessThan(level(left, 440, 8000) / 50);
        assertThat(level(right, 1000, 8000)).isGreaterThan(1000);
        assertThat(level(right, 440, 8000)).isLessThan(level(right, 1000, 8000) / 50);
        // a second fork of the same name is refused; the default name is another fork
        assertThat(call.fork("start " + ws.url("/s") + " mono 8000 mine")).startsWith("-ERR");
        assertThat(call.fork("stop")).as("no fork of the default name").startsWith("-ERR");

        // a graceful shutdown: the audio stops, the connection stays for the server's last words until it closes
        assertThat(call.fork("start " + ws.url("/g") + " mono 8k")).startsWith("+OK");
        WebSocketTestServer.Peer last = awaitPeer(peers + 1);
        awaitAudio(last, 8000, 1, 0.2);
        assertThat(call.fork("graceful-shutdown")).startsWith("+OK");
        long[] change = {-1, System.nanoTime()};
        Poll.await(Duration.ofSeconds(5), "the audio to stop", () -> {
            int now = last.pcm().length;
            if (now != change[0]) {
                change[0] = now;
                change[1] = System.nanoTime();
            }
            return System.nanoTime() - change[1] > 200_000_000;
        });
        assertThat(last.closed).as("the connection waits for the server").isFalse();
        last.sendText("{\"type\":\"transcription\",\"data\":{\"text\":\"final words\"}}");
        assertThat(awaitCustom("mod_audio_fork::transcription").body()).contains("final words");
        last.close();
        Poll.await(Duration.ofSeconds(5), "the graceful fork gone", () -> call.fork("stop").startsWith("-ERR"));

        peer.close();
        assertThat(awaitCustom("mod_audio_fork::disconnect").uniqueId()).contains(call.uuid());
        assertThat(call.fork("stop mine")).as("gone once the server closed").startsWith("-ERR");
    }

    @Test
    void anUnreachableServerIsAConnectFailedEventAndBadArgumentsAreRefused() throws Exception {
        Call call = call();
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        assertThat(call.fork("start ws://127.0.0.1:" + closedPort + "/ mono 8k")).startsWith("+OK");
        assertThat(awaitCustom("mod_audio_fork::connect_failed").body()).contains("reason");
        assertThat(call.fork("start ws://127.0.0.1:1/ quad 8k")).startsWith("-ERR");
        assertThat(call.fork("start ws://127.0.0.1:1/ mono 11025")).startsWith("-ERR");
        assertThat(call.fork("start ftp://127.0.0.1/ mono 8k")).startsWith("-ERR");
        assertThat(call.api("uuid_audio_fork " + call.uuid())).startsWith("-USAGE");
        assertThat(call.api("uuid_audio_fork nosuch stop")).startsWith("-ERR");
    }

    @Test
    void wssChecksTheServersCertificateUnlessSelfSignedOnesAreAllowed() throws Exception {
        var identity = TestCertificates.selfSigned(folder.resolve("tls"), "fork-server");
        var tls = io.netty.handler.ssl.SslContextBuilder.forServer(identity.certificate().toFile(),
                identity.privateKey().toFile()).build();
        try (WebSocketTestServer secure = new WebSocketTestServer(group, "audio.drachtio.org", tls)) {
            Call call = call();
            call.caller().rtp.play(Sources.open("tone_stream://%(60000,0,440)", folder, 8000), null);
            assertThat(call.fork("start " + secure.url("/tls") + " mono 8k")).startsWith("+OK");
            assertThat(awaitCustom("mod_audio_fork::connect_failed").body()).contains("reason");
            assertThat(secure.peers).isEmpty();
            assertThat(call.api("uuid_setvar " + call.uuid() + " MOD_AUDIO_FORK_ALLOW_SELFSIGNED true"))
                    .startsWith("+OK");
            assertThat(call.fork("start " + secure.url("/tls") + " mono 8k")).startsWith("+OK");
            awaitCustom("mod_audio_fork::connect");
            WebSocketTestServer.Peer peer = awaitPeer(secure, 0);
            short[] heard = awaitAudio(peer, 8000, 1, 0.5);
            assertThat(level(heard, 440, 8000)).as("the caller's tone over TLS").isGreaterThan(1000);
            assertThat(call.fork("stop")).startsWith("+OK");
        }
    }

    private static byte[] toBytes(short[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return b;
    }
}
