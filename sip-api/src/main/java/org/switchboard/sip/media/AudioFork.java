package org.switchboard.sip.media;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A running fork of an endpoint's audio to a WebSocket server ({@link Endpoint#forkAudio}). Each operation completes
 * once the media server did it; it fails with a {@link MediaException} when the fork has ended (stopped, or closed by
 * the server) or the channel is gone.
 */
public interface AudioFork {

    /** The fork's name on the channel. */
    String name();

    /** Sends a text frame to the server. */
    CompletionStage<Void> sendText(String text);

    /** Stops sending audio (the connection stays); with {@code silence}, silence is sent instead. */
    CompletionStage<Void> pause(boolean silence);

    /** Sends the audio again after {@link #pause}. */
    CompletionStage<Void> resume();

    /**
     * Stops sending audio but keeps the connection until the server closes it, so it can send its last messages
     * (the media server closes it itself after a deadline).
     */
    CompletionStage<Void> gracefulShutdown();

    /** Closes the connection; no disconnect event follows. */
    default CompletionStage<Void> stop() {
        return stop(null);
    }

    /** Sends {@code finalText} (unless null) and closes the connection. */
    CompletionStage<Void> stop(String finalText);

    /**
     * Calls {@code listener} with each event of the endpoint's forks ({@code mod_audio_fork::transcription},
     * {@code ::json}, {@code ::play_audio}, {@code ::disconnect}, ...; the JSON the server sent is the body), on the
     * endpoint's lane. The media server's events do not name the fork: with several forks on one endpoint, each
     * listener sees the events of all.
     */
    void onEvent(Consumer<EslEvent> listener);

    /** Completes when the fork ends: stopped, or closed by the server (a {@code mod_audio_fork::disconnect}). */
    CompletionStage<Void> ended();
}
