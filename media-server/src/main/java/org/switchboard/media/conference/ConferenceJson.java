package org.switchboard.media.conference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * {@code conference json_list [compact]} and {@code conference <name> json_list [compact]}: the conferences as
 * mod_conference lists them in JSON, an array of one object per conference with its members, the fields this switch
 * has (no video, no ghosts, no floor). Times are seconds: a conference's {@code run_time} since it was made, a member's
 * {@code join_time} since it joined and {@code last_talking} since it last talked (0 while talking or never).
 */
final class ConferenceJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ConferenceJson() {
    }

    static String list(Collection<Conference> conferences, boolean compact) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (!compact) {
                g.useDefaultPrettyPrinter();
            }
            long now = System.currentTimeMillis();
            g.writeStartArray();
            for (Conference c : conferences) {
                conference(g, c, now);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void conference(JsonGenerator g, Conference c, long now) throws IOException {
        var members = c.members();
        g.writeStartObject();
        g.writeStringField("conference_name", c.name);
        g.writeNumberField("member_count", members.size());
        g.writeNumberField("ghost_count", 0);
        g.writeNumberField("rate", c.rate);
        g.writeNumberField("run_time", seconds(now - c.createdMillis));
        g.writeStringField("conference_uuid", c.uuid);
        g.writeBooleanField("locked", c.locked);
        g.writeBooleanField("running", true);
        g.writeBooleanField("answered", true);
        g.writeBooleanField("dynamic", true);
        g.writeBooleanField("recording", c.recording());
        if (c.maxMembers > 0) {
            g.writeNumberField("max_members", c.maxMembers);
        }
        g.writeObjectFieldStart("variables");
        g.writeEndObject();
        g.writeArrayFieldStart("members");
        for (Member m : members) {
            member(g, m, now);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void member(JsonGenerator g, Member m, long now) throws IOException {
        Map<String, String> profile = m.channel.profile();
        boolean talking = m.talking;
        long lastTalking = m.lastTalkingMillis;
        g.writeStartObject();
        g.writeStringField("type", "caller");
        g.writeNumberField("id", m.id);
        g.writeObjectFieldStart("flags");
        g.writeBooleanField("can_hear", !m.deaf);
        g.writeBooleanField("can_see", true);
        g.writeBooleanField("can_speak", !m.muted);
        g.writeBooleanField("hold", false);
        g.writeBooleanField("mute_detect", false);
        g.writeBooleanField("talking", talking);
        g.writeBooleanField("has_video", false);
        g.writeBooleanField("video_bridge", false);
        g.writeBooleanField("has_floor", false);
        g.writeBooleanField("is_moderator", m.moderator);
        g.writeBooleanField("end_conference", m.endconf);
        g.writeEndObject();
        g.writeStringField("uuid", m.channel.uuid());
        g.writeStringField("caller_id_name", profile.getOrDefault("Caller-ID-Name", ""));
        g.writeStringField("caller_id_number", profile.getOrDefault("Caller-ID-Number", ""));
        g.writeNumberField("join_time", seconds(now - m.joinedMillis));
        g.writeNumberField("last_talking", talking || lastTalking == 0 ? 0 : seconds(now - lastTalking));
        g.writeNumberField("energy", Conference.TALK_ENERGY);
        g.writeNumberField("volume_in", m.volumeIn);
        g.writeNumberField("volume_out", m.volumeOut);
        g.writeEndObject();
    }

    private static long seconds(long millis) {
        return Math.max(0, millis / 1000);
    }
}
