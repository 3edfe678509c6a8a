package org.switchboard.mrf.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;

/**
 * Reads what a media server runs now with api commands on its event socket connection, and parses the answers.
 * Each read is one command: its deadline is the connection's command deadline, and a failed command fails the stage
 * with the {@link MediaException} the media server's {@code api} gives.
 */
public final class SwitchStatus {

    /** The conferences, with their members, in JSON. */
    public static final String CONFERENCES = "conference json_list compact";
    /** The channels, in JSON. */
    public static final String CHANNELS = "show channels as json";

    private static final JsonFactory JSON = new JsonFactory();
    // how a switch answers an api command it does not have
    private static final String NOT_FOUND = "Command not found";

    private SwitchStatus() {
    }

    /** The conferences running on {@code server}. */
    public static CompletionStage<List<ConferenceStatus>> conferences(MediaServer server) {
        return server.api(CONFERENCES).thenApply(SwitchStatus::parseConferences);
    }

    /** The channels up on {@code server}. */
    public static CompletionStage<List<ChannelStatus>> channels(MediaServer server) {
        return server.api(CHANNELS).thenApply(SwitchStatus::parseChannels);
    }

    /**
     * The media clock's report of {@code server}; empty when the switch has no such report (FreeSWITCH answers
     * {@code -ERR ... Command not found}).
     */
    public static CompletionStage<Optional<ClockReport>> clock(MediaServer server) {
        return server.api(ClockReport.COMMAND).handle((text, error) -> {
            if (error == null) {
                return Optional.of(ClockReport.parse(text));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof MediaException && String.valueOf(cause.getMessage()).contains(NOT_FOUND)) {
                return Optional.empty();
            }
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        });
    }

    /**
     * Parses mod_conference's {@code json_list}: an array of conferences, each with its {@code members}; members that
     * are not callers (a recording node) are left out.
     *
     * @throws IllegalArgumentException when {@code json} is not such a list
     */
    public static List<ConferenceStatus> parseConferences(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, JsonToken.START_ARRAY, json);
            List<ConferenceStatus> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                out.add(conference(p));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a conference json_list: " + excerpt(json), e);
        }
    }

    private static ConferenceStatus conference(JsonParser p) throws IOException {
        Map<String, String> fields = new HashMap<>();
        List<MemberStatus> members = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("members") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    member(p).ifPresent(members::add);
                }
            } else {
                scalar(p, name, value, fields);
            }
        }
        return new ConferenceStatus(fields.getOrDefault("conference_name", ""), fields.getOrDefault("conference_uuid", ""),
                (int) number(fields, "member_count"), Duration.ofSeconds(number(fields, "run_time")),
                flag(fields, "locked"), flag(fields, "recording"), members);
    }

    private static Optional<MemberStatus> member(JsonParser p) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("flags") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String flag = p.currentName();
                    scalar(p, "flags." + flag, p.nextToken(), fields);
                }
            } else {
                scalar(p, name, value, fields);
            }
        }
        if (!"caller".equals(fields.get("type"))) {
            return Optional.empty();
        }
        return Optional.of(new MemberStatus((int) number(fields, "id"), fields.getOrDefault("uuid", ""),
                fields.getOrDefault("caller_id_name", ""), fields.getOrDefault("caller_id_number", ""),
                flag(fields, "flags.can_hear"), flag(fields, "flags.can_speak"), flag(fields, "flags.talking"),
                flag(fields, "flags.is_moderator"), flag(fields, "flags.end_conference"),
                Duration.ofSeconds(number(fields, "join_time"))));
    }

    /**
     * Parses {@code show channels as json}: {@code row_count} and, when there are any, the {@code rows}, one object of
     * string columns per channel.
     *
     * @throws IllegalArgumentException when {@code json} is not such an answer
     */
    public static List<ChannelStatus> parseChannels(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, JsonToken.START_OBJECT, json);
            List<ChannelStatus> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("rows") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        out.add(channel(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("not the channels as json: " + excerpt(json), e);
        }
    }

    private static ChannelStatus channel(JsonParser p) throws IOException {
        Map<String, String> row = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            scalar(p, name, p.nextToken(), row);
        }
        long epoch = number(row, "created_epoch");
        return new ChannelStatus(row.getOrDefault("uuid", ""), row.getOrDefault("name", ""),
                row.getOrDefault("direction", ""), row.getOrDefault("state", ""), row.getOrDefault("callstate", ""),
                epoch > 0 ? Optional.of(Instant.ofEpochSecond(epoch)) : Optional.empty(),
                row.getOrDefault("cid_num", ""), row.getOrDefault("dest", ""), row.getOrDefault("read_codec", ""));
    }

    private static void expect(JsonParser p, JsonToken first, String json) throws IOException {
        JsonToken t = p.nextToken();
        if (t != first) {
            throw new IOException("expected " + (first == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }

    /** The start of an answer, for a message. */
    private static String excerpt(String text) {
        String start = text.strip();
        return start.length() > 80 ? start.substring(0, 80) + "..." : start;
    }

    /** Keeps a scalar as text under {@code name}; skips an array or object. */
    private static void scalar(JsonParser p, String name, JsonToken value, Map<String, String> into) throws IOException {
        if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
            p.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
            into.put(name, p.getText());
        }
    }

    /** A number, whether the switch wrote it as a number or as text; 0 when absent or not a number. */
    private static long number(Map<String, String> fields, String name) {
        try {
            return (long) Double.parseDouble(fields.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean flag(Map<String, String> fields, String name) {
        return "true".equals(fields.get(name));
    }
}
