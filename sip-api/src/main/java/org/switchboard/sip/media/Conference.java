package org.switchboard.sip.media;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A conference on a media server, held by a muted control leg that joined it with {@code endconf}: destroying the
 * conference hangs that leg up, which ends the conference for every member (their channels go back to park). Every
 * operation is an API command on the control leg's connection and completes within its command deadline.
 */
public interface Conference {

    /** The conference's name. */
    String name();

    /** The conference's unique id on the media server. */
    String uuid();

    /** The members now in the conference (the control leg excepted), as its events reported them. */
    List<ConferenceMember> members();

    /** The number of members the server counts, the control leg included. */
    CompletionStage<Integer> size();

    /** Mutes a member (others no longer hear it). */
    CompletionStage<Void> mute(int memberId);

    /** Unmutes a member. */
    CompletionStage<Void> unmute(int memberId);

    /** Makes a member deaf (it no longer hears the conference). */
    CompletionStage<Void> deaf(int memberId);

    /** Lets a member hear again. */
    CompletionStage<Void> undeaf(int memberId);

    /** Removes a member; its channel goes back to park. */
    CompletionStage<Void> kick(int memberId);

    /** Plays a file to every member; completes when it finished ({@code play-file-done}). */
    CompletionStage<Void> play(String file);

    /** Plays a file to one member; completes when it finished ({@code play-file-member-done}). */
    CompletionStage<Void> play(String file, int memberId);

    /** Starts recording the conference's mix into {@code file} on the media server. */
    CompletionStage<Void> startRecording(String file);

    /** Pauses the recording into {@code file}. */
    CompletionStage<Void> pauseRecording(String file);

    /** Resumes the recording into {@code file}. */
    CompletionStage<Void> resumeRecording(String file);

    /** Stops the recording into {@code file}. */
    CompletionStage<Void> stopRecording(String file);

    /** Refuses new members until {@link #unlock()}. */
    CompletionStage<Void> lock();

    /** Takes new members again. */
    CompletionStage<Void> unlock();

    /** Calls {@code listener} for each event of the conference, in order, off the I/O threads. */
    void onEvent(Consumer<ConferenceEvent> listener);

    /** Ends the conference: hangs the control leg up; completes when it hung up. */
    CompletionStage<Void> destroy();
}
