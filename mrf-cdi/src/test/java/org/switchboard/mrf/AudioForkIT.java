package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.mrf.TestSwitch.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.sip.media.AudioFork;
import org.switchboard.sip.media.AudioForkOptions;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaException;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.websocket.WebSocketTestServer;

/**
 * {@link Endpoint#forkAudio} on the embedded media server: the caller's tone reaches a WebSocket server in the test,
 * its texts and events go both ways, a playAudio message is played to the caller, and the fork stops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioForkIT {

    @TempDir
    static Path folder;
    static TestSwitch ts;
    static WebSocketTestServer ws;

    @BeforeAll
    static void start() throws Exception {
        ts = TestSwitch.start(folder);
        ws = new WebSocketTestServer("audio.drachtio.org");
    }

    @AfterAll
    static void stop() {
        ws.close();
        ts.close();
    }

    @Test
    void forksTheCallersAudioExchangesTextsAndPlaysWhatTheServerSendsBack() throws Exception {
        try (RtpPeer peer = new RtpPeer()) {
            Endpoint ep = await(ts.media.createEndpoint(EndpointOptions.withSdp(peer.offer())));
            try {
                peer.answer(ep.localSdp());
                peer.tone = true;
                int before = ws.peers.size();
                AudioFork fork = await(ep.forkAudio(AudioForkOptions.builder(ws.url("/bot"))
                        .sampleRate(16000).metadata("{\"who\":\"test\"}").build()));
                assertThat(fork.name()).isEqualTo(AudioForkOptions.DEFAULT_NAME);
                Poll.await(Duration.ofSeconds(5), "the connection", () -> ws.peers.size() > before);
                WebSocketTestServer.Peer server = ws.peers.get(before);
                assertThat(server.path).isEqualTo("/bot");
                Poll.await(Duration.ofSeconds(5), "the metadata", () -> !server.texts.isEmpty());
                assertThat(server.texts.get(0)).isEqualTo("{\"who\":\"test\"}");
                // two seconds, and the second of them measured: the tone had reached the server by then
                Poll.await(Duration.ofSeconds(10), "two seconds of audio", () -> server.samples().length >= 32000);
                short[] s = server.samples();
                double tone = Goertzel.amplitude(s, 16000, 32000, 440, 16000);
                assertThat(tone).as("the caller's 440 Hz").isGreaterThan(1000);
                assertThat(Goertzel.amplitude(s, 16000, 32000, 1000, 16000)).isLessThan(tone / 50);

                List<EslEvent> events = new CopyOnWriteArrayList<>();
                fork.onEvent(events::add);
                await(fork.sendText("{\"hello\":1}"));
                Poll.await(Duration.ofSeconds(5), "the text", () -> server.texts.contains("{\"hello\":1}"));
                server.sendText("{\"type\":\"transcription\",\"data\":{\"text\":\"hi\"}}");
                Poll.await(Duration.ofSeconds(5), "the transcription event", () -> events.stream()
                        .anyMatch(e -> e.subclass().orElse("").equals("mod_audio_fork::transcription")
                                && e.body().contains("\"hi\"")));

                // playAudio: the endpoint plays the file, so the media server reports its playback
                List<EslEvent> all = new CopyOnWriteArrayList<>();
                ep.onEvent(all::add);
                short[] prompt = new short[8000];
                byte[] bytes = new byte[prompt.length * 2];
                for (int i = 0; i < prompt.length; i++) {
                    prompt[i] = (short) (8000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
                    bytes[2 * i] = (byte) prompt[i];
                    bytes[2 * i + 1] = (byte) (prompt[i] >> 8);
                }
                server.sendText("{\"type\":\"playAudio\",\"data\":{\"audioContentType\":\"raw\",\"sampleRate\":8000,"
                        + "\"audioContent\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}}");
                Poll.await(Duration.ofSeconds(5), "the prompt played", () -> all.stream().anyMatch(e ->
                        e.name().equals("PLAYBACK_STOP") && e.header("Playback-File-Path").orElse("").contains(ep.uuid())));

                await(fork.pause(false));
                await(fork.resume());
                await(fork.stop("{\"bye\":true}"));
                assertThat(fork.ended().toCompletableFuture()).isDone();
                Poll.await(Duration.ofSeconds(5), "the connection closed", () -> server.closed);
                assertThat(server.texts).endsWith("{\"bye\":true}");
                assertThatThrownBy(() -> await(fork.sendText("late"))).hasCauseInstanceOf(MediaException.class);
            } finally {
                await(ep.destroy());
            }
        }
    }

    @Test
    void aServerThatCannotBeReachedFailsTheStart() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (RtpPeer peer = new RtpPeer()) {
            Endpoint ep = await(ts.media.createEndpoint(EndpointOptions.withSdp(peer.offer())));
            try {
                assertThatThrownBy(() -> await(ep.forkAudio(AudioForkOptions.builder("ws://127.0.0.1:" + closed + "/")
                        .build()))).hasCauseInstanceOf(MediaException.class).hasMessageContaining("could not connect");
                // the name is free again
                assertThatThrownBy(() -> await(ep.forkAudio(AudioForkOptions.builder("ws://127.0.0.1:" + closed + "/")
                        .build()))).hasMessageContaining("could not connect");
            } finally {
                await(ep.destroy());
            }
        }
        assertThatThrownBy(() -> AudioForkOptions.builder("http://x/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://x/").sampleRate(11025))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioForkOptions.builder("ws://x/").metadata("it's"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
