package org.switchboard.testapps.media;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.media.DtmfEvent;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.EslEventName;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.message.SipRequest;

/**
 * Connects each caller to a media server and plays {@code prompt.wav}; reports (in {@code media.*} system
 * properties) what it saw: whether the caller got the endpoint's SDP, the play's outcome, digits from the
 * endpoint's listener and from CDI, and the threads its media observers ran on.
 */
@ApplicationScoped
public class MediaApp {

    @Inject
    MediaServers media;

    @Inject
    MediaServer defaultServer;

    void onInvite(@Observes @Invite SipRequest invite) {
        report("default", defaultServer.address());
        if (invite.requestUriText().startsWith("sip:media-conf@")) {
            conference(invite);
            return;
        }
        if (invite.requestUriText().startsWith("sip:media-modify@")) {
            modify(invite);
            return;
        }
        media.connectCaller(invite).whenComplete((caller, error) -> {
            if (error != null) {
                report("failed", error);
                return;
            }
            report("answered", caller.dialog().localSdp().equals(caller.endpoint().localSdp()));
            report("uuid", caller.endpoint().uuid());
            caller.endpoint().onDtmf(d -> report("listener-dtmf", d.digit()));
            caller.endpoint().play("prompt.wav").whenComplete((r, e) -> report("played", e == null ? "ok" : e.toString()));
        });
    }

    /** Puts the caller into a conference of its own, then hangs up: the call's end destroys both. */
    private void conference(SipRequest invite) {
        String room = "room-" + Integer.toHexString(invite.callId().orElse("").hashCode());
        media.connectCaller(invite).thenCompose(caller -> media.createConference(room, JoinOptions.NONE)
                .thenCompose(conference -> caller.endpoint().join(conference, JoinOptions.NONE))
                .thenCompose(member -> {
                    report("conference-joined", member.memberId() > 0);
                    return caller.dialog().destroy();
                })).whenComplete((r, e) -> report("conference", e == null ? "ok" : e.toString()));
    }

    /** Holds the caller's media on the media server and takes it off hold again (re-INVITEs), then hangs up. */
    private void modify(SipRequest invite) {
        media.connectCaller(invite).thenCompose(caller -> {
            String offer = caller.endpoint().remoteSdp();
            String held = offer.replaceAll("(?m)^a=(sendrecv|sendonly|recvonly|inactive)\\r?\\n", "") + "a=inactive\r\n";
            return caller.endpoint().modify(held).thenCompose(answer -> {
                report("held", answer.contains("a=inactive") && answer.equals(caller.endpoint().localSdp())
                        && caller.endpoint().remoteSdp().equals(held));
                return caller.endpoint().modify(offer);
            }).thenCompose(answer -> {
                report("unheld", !answer.contains("a=inactive") && caller.endpoint().remoteSdp().equals(offer));
                return caller.dialog().destroy();
            });
        }).whenComplete((r, e) -> report("modified", e == null ? "ok" : e.toString()));
    }

    void onPlaybackStop(@Observes @EslEventName("PLAYBACK_STOP") EslEvent event) {
        report("playback-stop", event.header("Playback-File-Path").orElse("?"));
        report("threads", thread());
    }

    void onEvent(@Observes EslEvent event) {
        report("events", event.name());
        report("event-uuids", event.header("Unique-ID").orElse("none"));
        report("threads", thread());
    }

    void onDtmf(@Observes DtmfEvent dtmf) {
        report("cdi-dtmf", dtmf.digit());
        report("threads", thread());
    }

    private static String thread() {
        Thread t = Thread.currentThread();
        return t.getClass().getSimpleName() + ":" + t.getName();
    }

    private static synchronized void report(String key, Object value) {
        String k = "media." + key;
        String before = System.getProperty(k);
        System.setProperty(k, before == null ? String.valueOf(value) : before + "," + value);
    }
}
