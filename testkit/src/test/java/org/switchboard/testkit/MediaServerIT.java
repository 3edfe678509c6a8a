package org.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.OutboundSession;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.poll.Poll;

/**
 * The phone against the embedded media server in this JVM, driven as drachtio-fsmrf drives it: the INVITE names the
 * MRF in its User-Agent and the event socket controller in {@code X-esl-outbound}; the controller plays a file and
 * the phone must hear that very file.
 */
class MediaServerIT {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    @TempDir
    static Path folder;
    static MediaServer server;
    static EslOutboundServer controller;
    static final BlockingQueue<OutboundSession> sessions = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(43000, 43200)
                .sounds(folder)
                .recordings(folder.resolve("recordings"))
                .sipTimers(TimerConfig.scaled(Duration.ofMillis(100)))
                .build());
        controller = EslOutboundServer.start(new InetSocketAddress(LOOPBACK, 0), EslClientConfig.builder().build(),
                session -> event -> { }, sessions::add);
    }

    @AfterAll
    static void stop() {
        controller.close();
        server.close();
    }

    /** A sentence's worth of audio no shift of which looks like itself: noise swept by a rising tone. */
    static short[] prompt() {
        Random random = new Random(5);
        short[] samples = new short[8000 * 2];
        for (int i = 0; i < samples.length; i++) {
            double t = i / 8000.0;
            samples[i] = (short) (5000 * Math.sin(2 * Math.PI * (300 + 600 * t) * t) + random.nextGaussian() * 2000);
        }
        return samples;
    }

    @Test
    void thePhoneHearsTheFileTheServerPlays() throws Exception {
        assertThat(server.channelCount()).isZero();
        Path wav = folder.resolve("prompt.wav");
        Wav.write(wav, Audio.of(8000, 1, prompt()));
        Path other = folder.resolve("other.wav");
        short[] reversed = prompt();
        for (int i = 0; i < reversed.length / 2; i++) {
            short s = reversed[i];
            reversed[i] = reversed[reversed.length - 1 - i];
            reversed[reversed.length - 1 - i] = s;
        }
        Wav.write(other, Audio.of(8000, 1, reversed));
        try (SipPhone phone = SipPhone.builder().user("caller").build()) {
            Call call = phone.call("sip:mrf@" + LOOPBACK.getHostAddress() + ":" + server.sipAddress().getPort(),
                    Map.of("User-Agent", "drachtio-fsmrf:" + UUID.randomUUID(),
                            "X-esl-outbound", LOOPBACK.getHostAddress() + ":" + controller.address().getPort()));
            OutboundSession session = sessions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(session).as("the media server's outbound event socket connection").isNotNull();
            try (session) {
                session.subscribe(EventFormat.JSON, "CHANNEL_EXECUTE_COMPLETE").get(5, TimeUnit.SECONDS);
                session.filter("Unique-ID", session.uuid()).get(5, TimeUnit.SECONDS);
                call.ear().clear();
                EslEvent played = session.execute("playback", wav.toString()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(played.header("Application-Response")).contains("FILE PLAYED");

                call.ear().assertHeard(wav, WAIT);
                assertThat(Files.size(wav)).isPositive();
                // the same audio backwards is not what was heard: the correlation tells them apart
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> call.ear().assertHeard(other, Duration.ofMillis(300)))
                        .isInstanceOf(AssertionError.class).hasMessageContaining("best correlation");
                call.hangUp();
                Poll.await(WAIT, "the media server's channel to end with the BYE", () -> server.channelCount() == 0);
            }
        }
    }
}
