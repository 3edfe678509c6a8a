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

    /** The members the server lists now ({@code conference <name> list}), the control leg excepted, by member id. */
    CompletionStage<List<ConferenceMember>> listMembers();

    /**
     * A conference parameter ({@code conference <name> get <parameter>}: {@code max_members}, {@code count},
     * {@code locked}, {@code uuid}, ...); fails with a {@link MediaException} for a parameter the server does not know.
     */
    CompletionStage<String> get(String parameter);

    /**
     * Sets a conference parameter ({@code conference <name> set <parameter> <value>}; FreeSWITCH sets
     * {@code max_members} this way); completes with the previous value.
     */
    CompletionStage<String> set(String parameter, String value);

    /**
     * Limits the members the conference takes, the control leg counted (a join past it is refused); 0 for no limit.
     * drachtio-fsmrf's {@code createConference(name, {maxMembers})}.
     */
    default CompletionStage<Void> maxMembers(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        return set("max_members", Integer.toString(max)).thenApply(previous -> null);
    }

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

    /** Removes a member and hangs its channel up ({@code hup}). */
    CompletionStage<Void> hangup(int memberId);

    /** Moves a member to the conference {@code conference} (made when it does not exist). */
    CompletionStage<Void> transfer(int memberId, String conference);

    /**
     * Mutes every member at once ({@code mute all}; the control leg, which has no audio of its own, included);
     * fails when the conference has no member.
     */
    CompletionStage<Void> muteAll();

    /** Unmutes every member at once ({@code unmute all}). */
    CompletionStage<Void> unmuteAll();

    /** Makes every member deaf at once ({@code deaf all}). */
    CompletionStage<Void> deafAll();

    /** Lets every member hear again ({@code undeaf all}). */
    CompletionStage<Void> undeafAll();

    /** Plays a file to every member; completes when it finished ({@code play-file-done}). */
    CompletionStage<Void> play(String file);

    /** Plays files to every member one after another; completes when the last finished, fails at the first missing. */
    CompletionStage<Void> play(List<String> files);

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
