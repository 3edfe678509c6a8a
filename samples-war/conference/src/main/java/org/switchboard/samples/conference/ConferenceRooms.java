package org.switchboard.samples.conference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * Conference rooms: a call to {@code conf-<room>} joins the conference named {@code <room>}, made on the first
 * call and ended when the last caller leaves. A caller alone in a room hears music; {@code *6} mutes and unmutes
 * the caller who presses it. Every room lives on one media server (the least loaded when the room opens), so its
 * callers can hear each other.
 *
 * <p>The music is {@value #DEFAULT_MUSIC} unless the system property {@value #MUSIC_PROPERTY} names another file
 * (a path on the media server, or a stream such as {@code local_stream://moh} on FreeSWITCH).
 */
@ApplicationScoped
public class ConferenceRooms {

    /** The system property that overrides the hold music. */
    public static final String MUSIC_PROPERTY = "switchboard.samples.conference.music";
    /** The default hold music: a soft chime, repeated until stopped. */
    public static final String DEFAULT_MUSIC = "tone_stream://v=-18;loops=-1;%(300,0,523);%(300,0,659);%(300,0,784);"
            + "%(600,600,659)";

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceRooms.class);
    private static final Pattern ROOM = Pattern.compile("conf-([A-Za-z0-9_-]{1,64})");

    @Inject
    MediaServers media;

    @Inject
    Srf srf;

    private final String music = System.getProperty(MUSIC_PROPERTY, DEFAULT_MUSIC);
    // guarded by this: the open rooms, and the ends of rooms closing (a room of the same name opens after)
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, CompletionStage<Void>> closing = new HashMap<>();

    void onInvite(@Observes @Invite SipRequest invite) {
        String user = invite.requestUri() instanceof SipUri uri ? uri.user().orElse("") : "";
        Matcher m = ROOM.matcher(user);
        if (!m.matches()) {
            srf.respond(invite, 404);
            return;
        }
        Room room;
        try {
            room = enter(m.group(1));
        } catch (MediaException e) {
            LOG.debug("no media server for room {}: {}", m.group(1), e.getMessage());
            srf.respond(invite, 503);
            return;
        }
        room.server().connectCaller(invite).whenComplete((caller, error) -> {
            if (error != null) {
                LOG.debug("caller for room {} not answered: {}", room.name(), error.toString());
                leave(room);
                return;
            }
            caller.dialog().destroyed().whenComplete((event, e) -> leave(room));
            room.join(caller).whenComplete((member, e) -> {
                if (e != null) {
                    LOG.debug("caller could not join room {}: {}", room.name(), e.toString());
                    caller.dialog().destroy();
                }
            });
        });
    }

    /** The room, opened if it is not; counts one more caller in it. */
    private synchronized Room enter(String name) {
        Room room = rooms.get(name);
        if (room == null) {
            CompletionStage<Void> previous = closing.getOrDefault(name, CompletableFuture.completedFuture(null));
            room = new Room(name, media.select(), music, previous);
            rooms.put(name, room);
        }
        room.callers++;
        return room;
    }

    /** Counts one caller less; the last one out closes the room. */
    private synchronized void leave(Room room) {
        if (--room.callers > 0) {
            return;
        }
        rooms.remove(room.name());
        CompletionStage<Void> closed = room.close();
        closing.put(room.name(), closed);
        closed.whenComplete((x, e) -> {
            synchronized (this) {
                closing.remove(room.name(), closed);
            }
        });
    }
}
