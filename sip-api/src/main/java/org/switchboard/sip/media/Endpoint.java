package org.switchboard.sip.media;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One media channel on a media server (a FreeSWITCH channel): a SIP call from the application to the server
 * and the outbound event socket the server opened back for it. Every operation runs over that socket and
 * completes within the endpoint's command deadline; when the call hangs up every pending and later operation fails
 * with {@link MediaException.HungUp}, when the socket is lost with {@link MediaException.ConnectionLost}.
 * Completions and listeners run off the I/O threads, in order on this endpoint's own lane.
 */
public interface Endpoint {

    /** The channel's UUID on the media server. */
    String uuid();

    /** The SDP the media server last sent (its side of the media). */
    String localSdp();

    /**
     * The SDP the media server last received (the far side of the media); empty for third-party call control until
     * set.
     */
    String remoteSdp();

    /**
     * Gives the media server a new offer for the far side of the media (a re-INVITE on the call to it): to move the
     * media elsewhere, or to hold it ({@code a=sendonly} or {@code a=inactive}) and take it off hold
     * ({@code a=sendrecv}). Completes with the server's answer once accepted; from then on {@link #remoteSdp()} is
     * {@code sdp} and {@link #localSdp()} the answer. Fails with a {@link MediaException} when the server refuses the
     * offer (the media stays as it was).
     */
    CompletionStage<String> modify(String sdp);

    /**
     * Every variable and property of the channel as the media server reports them now ({@code uuid_dump}), by name
     * ({@code Channel-State}, {@code variable_sip_call_id}, ...), in the server's order.
     */
    default CompletionStage<Map<String, String>> channelVariables() {
        return channelVariables(false);
    }

    /**
     * {@link #channelVariables()}, with the RTP statistics ({@code variable_rtp_audio_in_packet_count}, ...) brought
     * up to date first ({@code uuid_set_media_stats}) when {@code includeMedia}.
     */
    CompletionStage<Map<String, String>> channelVariables(boolean includeMedia);

    /** The SIP Call-ID of the call to the media server. */
    String callId();

    /** Whether the channel is up: created and neither hung up nor disconnected. */
    boolean isConnected();

    /** Completes with the hangup cause when the channel ends (also when its connection is lost). */
    CompletionStage<String> destroyed();

    /** Plays one file; completes when it finished. */
    default CompletionStage<PlayResult> play(String file) {
        return play(PlayOptions.of(file));
    }

    /** Plays files in turn; completes when the last finished. */
    default CompletionStage<PlayResult> play(List<String> files) {
        return play(PlayOptions.of(files.toArray(String[]::new)));
    }

    /**
     * Plays as {@code options} say; fails with a {@link MediaException} naming the file when it is not found.
     */
    CompletionStage<PlayResult> play(PlayOptions options);

    /** Plays a prompt and collects digits ({@code play_and_get_digits}). */
    CompletionStage<CollectResult> playCollect(PlayCollectOptions options);

    /**
     * Says a value with the server's sound set ({@code say}): e.g. {@code say("en", "NUMBER", "pronounced", "42")}.
     *
     * @param language the sound set's language ({@code en})
     * @param type what the text is ({@code NUMBER}, {@code DIGITS}, {@code CURRENCY}, ...)
     * @param method how to say it ({@code pronounced}, {@code iterated}, {@code counted})
     * @param text what to say
     */
    default CompletionStage<PlayResult> say(String language, String type, String method, String text) {
        return say(language, type, method, "", text);
    }

    /**
     * Says a value in a grammatical gender ({@code MASCULINE}, {@code FEMININE}, {@code NEUTER}) for languages whose
     * words have one; an empty {@code gender} says it without.
     */
    CompletionStage<PlayResult> say(String language, String type, String method, String gender, String text);

    /** Speaks text with a text-to-speech engine ({@code speak engine|voice|text}, e.g. engine {@code flite}). */
    CompletionStage<Void> speak(String engine, String voice, String text);

    /** Records what the far end says into {@code file} on the media server, until a limit, silence or a terminator. */
    CompletionStage<RecordResult> record(String file, RecordOptions options);

    /**
     * Starts recording both directions of the channel into {@code file} on the media server
     * ({@code record_session}); it goes on while other commands run, until {@link #stopRecordSession} or the hangup.
     * Completes once started; fails with a {@link MediaException} when the file cannot be written.
     */
    CompletionStage<Void> recordSession(String file);

    /** Stops the session recording into {@code file} ({@code stop_record_session}); the file is complete after. */
    CompletionStage<Void> stopRecordSession(String file);

    /**
     * Streams the channel's audio to a WebSocket server, as FreeSWITCH's mod_audio_fork does
     * ({@code uuid_audio_fork}): 16-bit linear PCM in binary frames at the options' rate and mix, the metadata first;
     * the server's JSON messages become the fork's events, and the audio files of its {@code playAudio} messages are
     * played to the far end when the options say so. Completes once the server accepted the connection; fails with
     * a {@link MediaException} when it could not be reached or refused it, or a fork of that name runs already. One
     * fork starts at a time on an endpoint.
     */
    CompletionStage<AudioFork> forkAudio(AudioForkOptions options);

    /** Runs any dialplan application on the channel; completes with its CHANNEL_EXECUTE_COMPLETE event. */
    CompletionStage<EslEvent> execute(String application, String argument);

    /** Runs an API command on the channel's connection; output starting with {@code -ERR} fails the stage. */
    CompletionStage<String> api(String command);

    /** Sets a channel variable. */
    CompletionStage<Void> set(String name, String value);

    /** Sets channel variables (one {@code multiset} where the values allow, else one {@code set} each). */
    CompletionStage<Void> set(Map<String, String> variables);

    /** Sets a channel variable and exports it to a bridged channel. */
    CompletionStage<Void> export(String name, String value);

    /** Stops sending the far end's audio to the media server's mixers and recorders ({@code set_mute read true}). */
    CompletionStage<Void> mute();

    /** Undoes {@link #mute()}. */
    CompletionStage<Void> unmute();

    /** Whether the far end's audio is muted by {@link #mute()} or {@link #toggleMute()} (false at first). */
    boolean isMuted();

    /** Mutes when unmuted and the other way round; completes with whether it is muted now. */
    CompletionStage<Boolean> toggleMute();

    /** Sends DTMF digits to the far end (RFC 4733 or SIP INFO as negotiated). */
    CompletionStage<Void> sendDtmf(String digits);

    /** Calls {@code listener} for each digit the far end sends, on this endpoint's lane. */
    void onDtmf(Consumer<DtmfEvent> listener);

    /** Calls {@code listener} for each event of this channel, on this endpoint's lane. */
    void onEvent(Consumer<EslEvent> listener);

    /**
     * Calls {@code listener} for each CUSTOM event of {@code subclass} (a module's events, e.g.
     * {@code mod_x::result}) that concerns this channel, on this endpoint's lane; subscribes to the subclass first
     * when the connection does not have it yet. Completes once subscribed. {@link #onEvent} listeners see these
     * events too from then on.
     */
    CompletionStage<Void> addCustomEventListener(String subclass, Consumer<EslEvent> listener);

    /** Stops calling {@code listener} for {@code subclass} (the subscription stays). */
    void removeCustomEventListener(String subclass, Consumer<EslEvent> listener);

    /**
     * Joins a conference (made when it does not exist); completes with the membership once the server reports the
     * member added, fails with a {@link MediaException} when the conference refuses it (locked, full, wrong PIN).
     * The channel stays in the conference, running no other application, until it is kicked or the conference ends.
     */
    CompletionStage<ConferenceMember> join(String conference, JoinOptions options);

    /** Joins {@code conference}. */
    default CompletionStage<ConferenceMember> join(Conference conference, JoinOptions options) {
        return join(conference.name(), options);
    }

    /** Connects this endpoint's media to {@code other}'s ({@code uuid_bridge}). */
    CompletionStage<Void> bridge(Endpoint other);

    /** Ends a bridge; both channels park. */
    CompletionStage<Void> unbridge();

    /** Stops what the channel plays or records ({@code uuid_break}); it stays up, parked, waiting for the next command. */
    CompletionStage<Void> park();

    /** Hangs the channel up; completes when it ended (at once when it had ended already). */
    CompletionStage<Void> destroy();
}
