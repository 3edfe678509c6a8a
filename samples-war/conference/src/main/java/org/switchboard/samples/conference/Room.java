package org.switchboard.samples.conference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConferenceEvent;
import org.switchboard.sip.media.ConferenceMember;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaServer;

/**
 * One open room: its conference on one media server, the callers counted in it (guarded by
 * {@link ConferenceRooms}), and the music a caller alone in it hears.
 */
final class Room {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final String name;
    private final MediaServer server;
    private final String music;
    private final CompletionStage<Conference> conference;
    /** Callers answered or being answered for this room; guarded by {@link ConferenceRooms}. */
    int callers;
    // only on the conference's lane, where its events are delivered in order
    private boolean musicOn;

    /**
     * Opens the room once {@code previous} (the close of a room of the same name) is over. The conference is made
     * off the caller's lane: made on it, it would belong to that caller's call and end when that caller hangs up;
     * made outside any call it belongs to the application, which ends it when the last caller is gone.
     */
    Room(String name, MediaServer server, String music, CompletionStage<Void> previous) {
        this.name = name;
        this.server = server;
        this.music = music;
        this.conference = previous.handle((x, e) -> null)
                .thenComposeAsync(x -> server.createConference(name, JoinOptions.NONE))
                .thenApply(c -> {
                    c.onEvent(event -> membersChanged(c, event));
                    return c;
                });
    }

    String name() {
        return name;
    }

    MediaServer server() {
        return server;
    }

    /** Puts an answered caller into the conference, with {@code *6} to toggle its mute. */
    CompletionStage<ConferenceMember> join(ConnectedCaller caller) {
        return conference.thenCompose(c -> caller.endpoint().join(c, JoinOptions.NONE).thenApply(member -> {
            caller.endpoint().onDtmf(new MuteToggle(c, member.memberId()));
            return member;
        }));
    }

    /** Music while exactly one caller is in (the control leg does not count), none otherwise. */
    private void membersChanged(Conference c, ConferenceEvent event) {
        if (!event.action().equals("add-member") && !event.action().equals("del-member")) {
            return;
        }
        boolean alone = c.members().size() == 1;
        if (alone != musicOn) {
            musicOn = alone;
            server.api("conference " + name + (alone ? " play " + music : " stop")).whenComplete((out, e) -> {
                if (e != null) {
                    LOG.debug("room {}: music not {}: {}", name, alone ? "started" : "stopped", e.toString());
                }
            });
        }
    }

    /** Ends the conference; completes when it ended (at once when it never started). */
    CompletionStage<Void> close() {
        return conference.handle((c, e) -> c).thenCompose(c -> c == null
                ? CompletableFuture.<Void>completedFuture(null)
                : c.destroy());
    }
}
