package org.switchboard.media.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.TestEar;
import org.switchboard.media.session.PortRange;
import org.switchboard.media.source.Sources;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Node's real drachtio-fsmrf 4.1 (with drachtio-modesl 1.3) and drachtio-srf, over the embedded drachtio server,
 * driving the embedded media server (src/test/node/mrf.js). The audio is checked on our side of the RTP: what a
 * caller session hears from the media server, and what the media server recorded.
 */
class FsmrfInteropIT {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final Duration STEP = Duration.ofSeconds(15);
    /** For what the ears hear after a step: audio through the server and an ear's jitter buffer. */
    static final Duration WAIT = Duration.ofSeconds(5);
    static DrachtioServer drachtio;
    static MediaServer media;
    static EventLoopGroup group;
    static MediaClock clock;
    static final PortRange CALLER_PORTS = new PortRange(44000, 44100);
    @TempDir
    static Path folder;
    NodeFlow flow;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(folder.resolve("sounds"));
        Wav.write(folder.resolve("sounds/prompt.wav"), tone(700, 1000));
        int sipPort;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            sipPort = probe.getLocalPort();
        }
        drachtio = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", sipPort).build(),
                        TimerConfig.DEFAULTS))
                .build());
        media = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43000, 43200)
                .sounds(folder.resolve("sounds"))
                .recordings(folder.resolve("recordings"))
                .build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock = MediaClock.start();
    }

    @AfterAll
    static void stop() {
        media.close();
        drachtio.close();
        clock.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @AfterEach
    void endFlow() {
        if (flow != null) {
            flow.close();
        }
    }

    static Audio tone(double freq, int millis) {
        short[] s = new short[millis * 8];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * freq * i / 8000.0));
        }
        return Audio.of(8000, 1, s);
    }

    NodeFlow flow(String name, String... args) {
        flow = NodeFlow.start(Map.of("DRACHTIO_HOST", "127.0.0.1",
                "DRACHTIO_PORT", Integer.toString(drachtio.adminAddress().getPort()),
                "MS_PORT", Integer.toString(media.eslAddress().getPort())), name, args);
        return flow;
    }

    /** An RTP peer playing the caller: what it hears is kept. */
    static TestEar ear() {
        return new TestEar(group, clock, LOOPBACK, CALLER_PORTS, 30);
    }

    @Test
    void connectAdvertisesTheSipAddress() {
        NodeFlow f = flow("modify", "rtp=1", "prompt=prompt.wav");
        String ready = f.await("ready", STEP);
        assertThat(ready).isEqualTo("ready 127.0.0.1:" + media.sipAddress().getPort());
    }

    @Test
    void modeslInboundApiEventsBgapiAndShow() {
        flow = NodeFlow.script(Map.of("MS_PORT", Integer.toString(media.eslAddress().getPort())), "esl.js");
        assertThat(flow.await("sofia", STEP)).isEqualTo("sofia 127.0.0.1:" + media.sipAddress().getPort());
        assertThat(flow.await("bgapi", STEP)).isEqualTo("bgapi status true");
        // modesl parsed our show channels JSON (other tests' channels may still be going away)
        assertThat(flow.await("show", STEP)).matches("show \\d+");
        flow.send("bye");
        flow.await("end", STEP);
    }

    @Test
    void endpointPlaysAPromptCollectsDigitsAndRecords() throws Exception {
        try (TestEar ear = ear()) {
            Path file = folder.resolve("recordings/endpoint.wav");
            NodeFlow f = flow("endpoint", "rtp=" + ear.rtp.localPort(), "prompt=prompt.wav", "file=" + file);
            String[] endpoint = f.await("endpoint ", STEP).split(" ");
            assertThat(endpoint[3]).isEqualTo("rfc2833");
            ear.sendTo(Integer.parseInt(endpoint[2]));
            assertThat(f.await("played", STEP)).isEqualTo("played 1000");
            Poll.await(WAIT, "the prompt through the ear's jitter buffer", () -> ear.peakAmplitudeAt(700) > 1000);
            assertThat(ear.amplitudeAt(440)).isLessThan(100);
            // FreeSWITCH sets the playback_* variables after each file of a list: the last one's (500 ms of silence)
            assertThat(f.await("played list", STEP)).isEqualTo("played list 500");
            String seek = f.await("played from 4000", STEP);
            f.await("collecting", STEP);
            ear.rtp.sendDtmf("42#", 100);
            assertThat(f.await("collected", STEP)).isEqualTo("collected 42 #");
            f.await("recording", STEP);
            ear.rtp.play(Sources.open("tone_stream://%(3000,0,440)", folder, 8000), null);
            String recorded = f.await("recorded", STEP);
            assertThat(Long.parseLong(recorded.split(" ")[1])).isBetween(1900L, 2100L);
            short[] s = Wav.read(file).samples();
            assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as("the recorded tone").isGreaterThan(1000);
            assertThat(Long.parseLong(seek.substring("played from 4000 ".length()))).as("half the prompt skipped")
                    .isBetween(400L, 1000L);
            assertThat(f.await("media stats", STEP)).isEqualTo("media stats true");
            f.await("done", STEP);
        }
    }

    @Test
    void thirdPartyEndpointIsModifiedHeldAndResumed() throws Exception {
        try (TestEar ear = ear()) {
            NodeFlow f = flow("modify", "rtp=" + ear.rtp.localPort(), "prompt=prompt.wav");
            // the black-hole answer of drachtio-srf's ACK may or may not have arrived when the socket connected
            f.await("endpoint", STEP);
            assertThat(f.await("modified", STEP)).isEqualTo("modified " + ear.rtp.localPort());
            f.await("held and resumed", STEP);
            ear.clear();
            f.await("played", STEP);
            Poll.await(WAIT, "the prompt after modify", () -> ear.peakAmplitudeAt(700) > 1000);
            ear.clear();
            f.await("spoke", STEP);
            Poll.await(WAIT, "fsmrf's speak (flite) heard by the caller", () -> ear.rms() > 300);
            f.await("done", STEP);
        }
    }

    @Test
    void connectCallerRecordsSippSpeechAndCollectsItsDigit() throws Exception {
        Path file = folder.resolve("recordings/caller.wav");
        NodeFlow f = flow("caller", "prompt=prompt.wav", "file=" + file);
        int sippPort;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            sippPort = probe.getLocalPort();
        }
        Sipp.Result r = Sipp.scenario(Interop.path("sipp/uac-pcap.xml")).runIn(Interop.path("sipp"))
                .target("127.0.0.1:" + drachtio.sipListenPoints().get(0).address().getPort())
                .args("-i", "127.0.0.1", "-p", Integer.toString(sippPort), "-m", "1")
                .deadline(Duration.ofSeconds(40)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        f.await("connected", STEP);
        assertThat(Long.parseLong(f.await("recorded", STEP).split(" ")[1])).isBetween(2900L, 3100L);
        assertThat(f.await("collected", STEP)).isEqualTo("collected 1");
        f.await("destroyed", STEP);
        short[] s = Wav.read(file).samples();
        double energy = 0;
        for (short v : s) {
            energy += (double) v * v;
        }
        assertThat(Math.sqrt(energy / s.length)).as("RMS of sipp's recorded speech").isGreaterThan(100);
    }

    @Test
    void threePartyConferenceWithMuteAndKick() throws Exception {
        try (TestEar a = ear(); TestEar b = ear(); TestEar c = ear()) {
            NodeFlow f = flow("conference", "rtp=" + a.rtp.localPort() + "," + b.rtp.localPort() + ","
                    + c.rtp.localPort());
            String joined = f.await("joined", STEP);
            assertThat(joined).endsWith(" 4"); // three members and fsmrf's control leg
            // the endpoints' media ports: where each ear sends (learned from what reaches it)
            waitForAudio(a, b, c);
            a.clear();
            c.clear();
            a.rtp.play(Sources.open("tone_stream://%(8000,0,440)", folder, 8000), null);
            b.rtp.play(Sources.open("tone_stream://%(8000,0,1000)", folder, 8000), null);
            long recent = TestEar.RECENT_MILLIS;
            Poll.await(WAIT, "both tones mixed for c, b's for a", () -> c.amplitudeAt(440, recent) > 500
                    && c.amplitudeAt(1000, recent) > 500 && a.amplitudeAt(1000, recent) > 500);
            a.clear();
            c.listenAfresh(1000);
            assertThat(c.amplitudeAt(440)).as("c hears a").isGreaterThan(500);
            assertThat(c.amplitudeAt(1000)).as("c hears b").isGreaterThan(500);
            assertThat(a.amplitudeAt(1000)).as("a hears b").isGreaterThan(500);
            assertThat(a.amplitudeAt(440)).as("a does not hear itself").isLessThan(100);
            f.send("mute 0");
            f.await("muted 0", STEP);
            Poll.await(WAIT, "the mute through to c's ear", () -> c.amplitudeAt(440, recent) < 100);
            c.listenAfresh(800);
            assertThat(c.amplitudeAt(440)).as("a muted").isLessThan(100);
            assertThat(c.amplitudeAt(1000)).isGreaterThan(500);
            f.send("kick 2");
            assertThat(f.await("kicked", STEP)).isEqualTo("kicked 2 3");
            f.send("end");
            f.await("done", STEP);
        }
    }

    @Test
    void bridgedEndpointsHearEachOtherUntilUnbridged() throws Exception {
        try (TestEar a = ear(); TestEar b = ear()) {
            NodeFlow f = flow("bridge", "rtp=" + a.rtp.localPort() + "," + b.rtp.localPort());
            f.await("bridged", STEP);
            waitForAudio(a, b);
            b.clear();
            a.rtp.play(Sources.open("tone_stream://%(5000,0,440)", folder, 8000), null);
            Poll.await(WAIT, "b hears a through the bridge", () -> b.amplitudeAt(440, TestEar.RECENT_MILLIS) > 500);
            f.send("unbridge");
            f.await("unbridged", STEP);
            Poll.await(WAIT, "the unbridge through to b's ear", () -> b.amplitudeAt(440, TestEar.RECENT_MILLIS) < 100);
            b.listenAfresh(600);
            assertThat(b.amplitudeAt(440)).as("not after unbridge").isLessThan(100);
            f.send("end");
            f.await("done", STEP);
        }
    }

    /** Each ear learns the media server's port from the first packets it gets and sends back there. */
    private static void waitForAudio(TestEar... ears) throws InterruptedException {
        for (TestEar e : ears) {
            Poll.await(WAIT, "packets from the media server", () -> e.rtp.stats().packetsReceived() > 0);
        }
    }
}
