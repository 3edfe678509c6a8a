package org.switchboard.container.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.switchboard.container.sip.ContainerMedia;
import org.switchboard.container.sip.MediaOwner;
import org.switchboard.mrf.status.ChannelStatus;
import org.switchboard.mrf.status.ConferenceStatus;
import org.switchboard.mrf.status.Lateness;
import org.switchboard.mrf.status.MemberStatus;
import org.switchboard.mrf.status.SwitchStatus;
import org.switchboard.sip.media.MediaLoad;
import org.switchboard.sip.media.MediaServer;

/**
 * {@code GET /api/media}: each media server with its load and media clock, its conferences with their members and a
 * page of its channels, read from the switch now ({@code conference json_list}, {@code show channels as json}); each
 * channel and member with the application and the call that made it, when the container's applications did.
 */
final class MediaView {

    /** The channels listed per server unless {@code limit} says otherwise. */
    static final int DEFAULT_CHANNELS = 100;
    // the view asks each switch for its channels and conferences; a switch slower than this is shown as such
    private static final Duration WITHIN = Duration.ofSeconds(2);

    private final AdminSources sources;
    private final MediaWatch clocks;

    MediaView(AdminSources sources, MediaWatch clocks) {
        this.sources = sources;
        this.clocks = clocks;
    }

    /** Writes the {@code servers} field, at most {@code limit} channels each. */
    void write(JsonGenerator g, int limit) throws IOException {
        List<MediaServer> servers = sources.mediaServers().get();
        // every switch is asked at once, then each answer awaited against the one deadline
        List<CompletableFuture<List<ConferenceStatus>>> conferences = servers.stream()
                .map(s -> s.isConnected() ? SwitchStatus.conferences(s).toCompletableFuture() : null).toList();
        List<CompletableFuture<List<ChannelStatus>>> channels = servers.stream()
                .map(s -> s.isConnected() ? SwitchStatus.channels(s).toCompletableFuture() : null).toList();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        g.writeArrayFieldStart("servers");
        for (int i = 0; i < servers.size(); i++) {
            MediaServer s = servers.get(i);
            g.writeStartObject();
            g.writeStringField("address", s.address());
            g.writeBooleanField("connected", s.isConnected());
            MediaLoad load = s.load();
            g.writeNumberField("sessions", load.currentSessions());
            g.writeNumberField("maxSessions", load.maxSessions());
            g.writeNumberField("sessionsPerSecond", load.sessionsPerSecond());
            clock(g, clocks.clock(s.address()));
            if (conferences.get(i) != null) {
                conferences(g, await(conferences.get(i), deadline, "conference json_list"));
                channels(g, await(channels.get(i), deadline, "show channels"), limit);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code clock}: null before the first answer; {@code reported} false for a switch without the report. */
    private static void clock(JsonGenerator g, Optional<MediaWatch.Clock> clock) throws IOException {
        if (clock.isEmpty()) {
            g.writeNullField("clock");
            return;
        }
        g.writeObjectFieldStart("clock");
        g.writeBooleanField("reported", clock.get().reported());
        if (clock.get().last().isPresent()) {
            g.writeNumberField("tasks", clock.get().last().get().tasks());
        }
        Optional<Lateness> window = clock.get().window();
        g.writeNumberField("packets", window.map(Lateness::packets).orElse(0L));
        if (window.isPresent()) {
            lateness(g, window.get());
        }
        g.writeEndObject();
    }

    /** The three figures of a lateness, in milliseconds. */
    static void lateness(JsonGenerator g, Lateness l) throws IOException {
        g.writeNumberField("p50", l.p50Millis());
        g.writeNumberField("p99", l.p99Millis());
        g.writeNumberField("max", l.maxMillis());
    }

    private void conferences(JsonGenerator g, Answer<List<ConferenceStatus>> answer) throws IOException {
        if (answer.error != null) {
            g.writeStringField("conferencesError", answer.error);
            return;
        }
        g.writeArrayFieldStart("conferences");
        for (ConferenceStatus c : answer.value) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("uuid", c.uuid());
            g.writeNumberField("memberCount", c.memberCount());
            g.writeNumberField("uptimeSeconds", c.uptime().toSeconds());
            g.writeBooleanField("locked", c.locked());
            g.writeBooleanField("recording", c.recording());
            g.writeArrayFieldStart("members");
            for (MemberStatus m : c.members()) {
                g.writeStartObject();
                g.writeNumberField("id", m.id());
                g.writeStringField("uuid", m.uuid());
                g.writeStringField("callerIdName", m.callerIdName());
                g.writeStringField("callerIdNumber", m.callerIdNumber());
                g.writeBooleanField("muted", m.muted());
                g.writeBooleanField("deaf", m.deaf());
                g.writeBooleanField("talking", m.talking());
                g.writeBooleanField("moderator", m.moderator());
                g.writeBooleanField("endConference", m.endConference());
                g.writeNumberField("inConferenceSeconds", m.inConference().toSeconds());
                owner(g, m.uuid());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void channels(JsonGenerator g, Answer<List<ChannelStatus>> answer, int limit) throws IOException {
        if (answer.error != null) {
            g.writeStringField("channelsError", answer.error);
            return;
        }
        g.writeNumberField("channelsTotal", answer.value.size());
        g.writeArrayFieldStart("channels");
        for (ChannelStatus c : answer.value.subList(0, Math.min(limit, answer.value.size()))) {
            g.writeStartObject();
            g.writeStringField("uuid", c.uuid());
            g.writeStringField("name", c.name());
            g.writeStringField("direction", c.direction());
            g.writeStringField("state", c.state());
            g.writeStringField("callState", c.callState());
            if (c.created().isPresent()) {
                g.writeStringField("created", c.created().get().toString());
            }
            g.writeStringField("callerIdNumber", c.callerIdNumber());
            g.writeStringField("destination", c.destination());
            g.writeStringField("codec", c.codec());
            owner(g, c.uuid());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code application} and {@code callId} of the channel, when an application of the container made it. */
    private void owner(JsonGenerator g, String uuid) throws IOException {
        ContainerMedia media = sources.sip().media();
        Optional<MediaOwner> owner = media.owner(uuid);
        if (owner.isPresent()) {
            g.writeStringField("application", owner.get().application());
            if (owner.get().callId().isPresent()) {
                g.writeStringField("callId", owner.get().callId().get());
            }
        }
    }

    /** A value, or why there is none. */
    private record Answer<T>(T value, String error) {
    }

    private static <T> Answer<T> await(CompletableFuture<T> answer, long deadline, String what) {
        try {
            return new Answer<>(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer<>(null, what + ": interrupted");
        } catch (ExecutionException e) {
            return new Answer<>(null, what + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Answer<>(null, what + ": no answer within " + WITHIN.toSeconds() + " s");
        }
    }
}
