package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.mrf.TestSwitch.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.sip.media.CollectResult;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConferenceMember;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.PlayCollectOptions;
import org.switchboard.sip.media.RecordOptions;
import org.switchboard.sip.media.RecordResult;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The framework against a real FreeSWITCH (drachtio's FreeSWITCH image, {@code -Dfreeswitch.image} to choose
 * another), configured only by the files under {@code src/test/resources/freeswitch/conf}: the SIP profile
 * {@code drachtio_mrf}, the {@code mrf} dialplan context that hands each call to the outbound event socket of its
 * {@code X-esl-outbound} header, and an event socket with a password and an ACL. The same flows as {@link EndpointIT}
 * and {@link ConferenceIT} run against the embedded media server. FreeSWITCH shares the host's network so that
 * its SIP, RTP and outbound event socket connections reach the test on loopback (Linux Docker engines).
 * Skipped, with JUnit's "Docker is not available" reason, on machines without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FreeSwitchIT {

    private static final String IMAGE = System.getProperty("freeswitch.image", "drachtio/drachtio-freeswitch-mrf:latest");
    private static final String CONF = "/switchboard/conf";
    private static final String SOUNDS = "/switchboard/sounds";
    private static final int SIP_PORT = FreePorts.udp();
    private static final int ESL_PORT = FreePorts.tcp();
    private static final int RTP_FIRST = Math.min(FreePorts.udp(), 64_000);
    private static final String PASSWORD = "sb-" + UUID.randomUUID();

    @Container
    private static final GenericContainer<?> FREESWITCH = new GenericContainer<>(
            // the image's entrypoint rewrites its own configuration; this test brings all of it
            new ImageFromDockerfile("switchboard-freeswitch-it", false)
                    .withDockerfileFromBuilder(b -> b.from(IMAGE).entryPoint("freeswitch").build()))
            .withNetworkMode("host")
            .withCopyFileToContainer(MountableFile.forClasspathResource("freeswitch/conf"), CONF)
            .withCopyToContainer(Transferable.of(vars()), CONF + "/vars.xml")
            .withCopyToContainer(Transferable.of(promptWav()), SOUNDS + "/prompt.wav")
            .withCommand("-nonat", "-c", "-conf", CONF, "-sounds", SOUNDS, "-log", "/tmp", "-db", "/tmp")
            .waitingFor(Wait.forLogMessage(".*FreeSWITCH Started.*\\n", 1).withStartupTimeout(Duration.ofSeconds(90)));

    @TempDir
    static Path folder;
    static TestUac uac;
    static MediaServer media;
    final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        uac = new TestUac();
        media = Mrf.connect(MrfConfig.builder(new InetSocketAddress("127.0.0.1", ESL_PORT)).password(PASSWORD).build(), uac)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void destroyEndpoints() throws Exception {
        for (Endpoint e : endpoints) {
            e.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void close() {
        if (media != null) {
            media.close();
        }
        if (uac != null) {
            uac.close();
        }
    }

    /** An endpoint made the way {@code connectCaller} makes one: an INVITE carrying the far end's offer. */
    Endpoint endpoint() throws Exception {
        Endpoint e = media.createEndpoint(EndpointOptions.NONE).toCompletableFuture().get(15, TimeUnit.SECONDS);
        endpoints.add(e);
        return e;
    }

    @Test
    void answersOnTheMrfProfileAndPlaysAPromptFromItsSoundFolder() throws Exception {
        assertThat(await(media.api("status"))).contains("UP");
        Endpoint ep = endpoint();
        assertThat(ep.localSdp()).contains("m=audio");

        assertThat(await(ep.play("prompt.wav")).milliseconds()).isBetween(900L, 1500L);
    }

    @Test
    void playCollectGetsRfc4733Digits() throws Exception {
        Endpoint ep = endpoint();
        CompletableFuture<CollectResult> collected = ep.playCollect(PlayCollectOptions.builder("silence_stream://100")
                .digits(1, 4).timeout(Duration.ofSeconds(10)).build()).toCompletableFuture();
        uac.peers.get(ep.callId()).sendDtmf("12#");

        CollectResult result = await(collected);

        assertThat(result.digits()).isEqualTo("12");
        assertThat(result.terminatorUsed()).isEqualTo("#");
    }

    @Test
    void recordsWhatTheFarEndSays() throws Exception {
        Endpoint ep = endpoint();
        uac.peers.get(ep.callId()).tone = true;
        String inContainer = "/tmp/recorded-" + ep.uuid() + ".wav";

        RecordResult result = await(ep.record(inContainer, RecordOptions.builder().timeLimit(Duration.ofSeconds(1)).build()));

        assertThat(result.milliseconds()).isBetween(700L, 1500L);
        Path copy = folder.resolve("recorded.wav");
        FREESWITCH.copyFileFromContainer(inContainer, copy.toString());
        short[] samples = Wav.read(copy).samples();
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        assertThat(Math.sqrt(sum / Math.max(1, samples.length))).as("RMS of the recording").isGreaterThan(1000);
    }

    @Test
    void endpointsJoinAConferenceThatPlaysToThem() throws Exception {
        Conference conf = await(media.createConference("room-" + UUID.randomUUID().toString().substring(0, 8),
                JoinOptions.NONE));
        Endpoint a = endpoint();
        Endpoint b = endpoint();

        ConferenceMember ma = await(a.join(conf, JoinOptions.NONE));
        await(b.join(conf, JoinOptions.NONE));

        assertThat(ma.channelUuid()).isEqualTo(a.uuid());
        assertThat(Poll.until(Duration.ofSeconds(5), () -> conf.members().size() == 2)).isTrue();
        await(conf.mute(ma.memberId()));
        long start = System.nanoTime();
        await(conf.play("prompt.wav"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
        await(conf.destroy());
    }

    /** The values the mounted configuration takes from {@code vars.xml}. */
    private static String vars() {
        return String.join("\n", "<include>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"sip_ip=127.0.0.1\"/>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"sip_port=" + SIP_PORT + "\"/>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"esl_port=" + ESL_PORT + "\"/>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"esl_password=" + PASSWORD + "\"/>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"rtp_start_port=" + RTP_FIRST + "\"/>",
                "  <X-PRE-PROCESS cmd=\"set\" data=\"rtp_end_port=" + (RTP_FIRST + 400) + "\"/>",
                "</include>", "");
    }

    /** A 1 s 700 Hz tone, PCM 8 kHz mono. */
    private static byte[] promptWav() {
        short[] samples = new short[8000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
        }
        try {
            Path file = Files.createTempFile("prompt", ".wav");
            try {
                Wav.write(file, Audio.of(8000, 1, samples));
                return Files.readAllBytes(file);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
