package org.switchboard.media.fork;

import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;

/**
 * The CUSTOM events of a fork, as mod_audio_fork names them: the channel's data, and the server's JSON (if any) as the
 * body.
 */
final class ForkEvents {

    static final String CONNECT = "mod_audio_fork::connect";
    static final String CONNECT_FAILED = "mod_audio_fork::connect_failed";
    static final String DISCONNECT = "mod_audio_fork::disconnect";
    static final String BUFFER_OVERRUN = "mod_audio_fork::buffer_overrun";
    static final String TRANSCRIPTION = "mod_audio_fork::transcription";
    static final String TRANSFER = "mod_audio_fork::transfer";
    static final String PLAY_AUDIO = "mod_audio_fork::play_audio";
    static final String KILL_AUDIO = "mod_audio_fork::kill_audio";
    static final String ERROR = "mod_audio_fork::error";
    static final String JSON = "mod_audio_fork::json";

    private ForkEvents() {
    }

    /** Fires {@code subclass} about {@code channel} with {@code body} (null: none). */
    static void fire(Channel channel, String subclass, String body) {
        EslEvent.Builder b = channel.channelEvent("CUSTOM", "mod_audio_fork.c", "responseHandler", false)
                .header("Event-Subclass", subclass);
        if (body != null) {
            b.body(body);
        }
        channel.core().fire(b.build());
    }
}
