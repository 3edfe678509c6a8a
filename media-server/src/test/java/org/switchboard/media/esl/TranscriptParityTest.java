package org.switchboard.media.esl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.testing.interop.Interop;

/**
 * Our events beside real FreeSWITCH's (transcript esl-outbound-h: connect, execute, DTMF): every header the real
 * switch puts on CHANNEL_DATA, CHANNEL_EXECUTE(_COMPLETE), DTMF, PLAYBACK_START/STOP and CHANNEL_CALLSTATE
 * (variables aside) is on ours too, in the same order, except the few listed with the reason.
 */
class TranscriptParityTest {

    /** Headers of the real switch we do not produce: caller-profile fields sofia fills from SIP we do not see. */
    static final Set<String> NOT_PRODUCED = Set.of("Caller-Orig-Caller-ID-Name", "Caller-Orig-Caller-ID-Number",
            "Caller-Callee-ID-Name", "Caller-Callee-ID-Number", "Caller-Channel-Progress-Time",
            "Caller-Channel-Progress-Media-Time", "Caller-Channel-Hangup-Time", "Caller-Channel-Transfer-Time",
            "Caller-Channel-Resurrect-Time", "Caller-Channel-Bridged-Time", "Caller-Channel-Last-Hold",
            "Caller-Channel-Hold-Accum", "Caller-Screen-Bit", "Caller-Privacy-Hide-Name", "Caller-Privacy-Hide-Number",
            "Channel-Orig-Caller-ID-Name", "Channel-Orig-Caller-ID-Number", "Channel-Callee-ID-Name",
            "Channel-Callee-ID-Number", "Channel-Channel-Progress-Time", "Channel-Channel-Progress-Media-Time",
            "Channel-Channel-Hangup-Time", "Channel-Channel-Transfer-Time", "Channel-Channel-Resurrect-Time",
            "Channel-Channel-Bridged-Time", "Channel-Channel-Last-Hold", "Channel-Channel-Hold-Accum",
            "Channel-Screen-Bit", "Channel-Privacy-Hide-Name", "Channel-Privacy-Hide-Number", "Caller-RDNIS",
            "Channel-RDNIS", "Channel-Presence-ID", "Channel-Presence-Data", "Presence-Data-Cols",
            "Caller-Channel-Answered-Time", "Channel-Channel-Answered-Time", "DTMF-SSRC", "DTMF-Timestamp");

    /** The real switch's events of the transcript, by name (the first of each). */
    static Map<String, EslEvent> realEvents() throws Exception {
        ByteArrayOutputStream fs = new ByteArrayOutputStream();
        for (String line : new String(Interop.bytes("transcripts/esl-outbound-h-connect-execute-dtmf.jsonl"),
                StandardCharsets.UTF_8).split("\n")) {
            JsonNode chunk = new ObjectMapper().readTree(line);
            if (chunk.get("dir").asText().equals("c2s")) { // the switch connected: c2s is FreeSWITCH
                fs.write(Base64.getDecoder().decode(chunk.get("b64").asText()));
            }
        }
        EmbeddedChannel decoder = new EmbeddedChannel(new EslFrameDecoder());
        decoder.writeInbound(Unpooled.wrappedBuffer(fs.toByteArray()));
        Map<String, EslEvent> events = new LinkedHashMap<>();
        for (EslFrame f; (f = decoder.readInbound()) != null; ) {
            if (f.header("Event-Name").isPresent()) {
                events.putIfAbsent("CHANNEL_DATA", EslEvent.fromPlain(f.toBytes()));
            } else if (f.contentType().filter("text/event-plain"::equals).isPresent()) {
                EslEvent e = EslEvent.fromPlain(f.body());
                events.putIfAbsent(e.eventName(), e);
            }
        }
        decoder.finishAndReleaseAll();
        return events;
    }

    static List<String> names(EslEvent e) {
        List<String> out = new ArrayList<>();
        for (EslEvent.Header h : e.headers()) {
            if (!h.name().startsWith("variable_") && !NOT_PRODUCED.contains(h.name())
                    && !h.name().startsWith("Playback-") && !h.name().equals("Content-Length")) {
                out.add(h.name());
            }
        }
        return out;
    }

    @Test
    void ourEventsCarryTheRealSwitchsHeadersInItsOrder() throws Exception {
        Map<String, EslEvent> real = realEvents();
        assertThat(real).containsKeys("CHANNEL_DATA", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "DTMF");
        Core core = new Core("127.0.0.1", Map.of());
        List<EslEvent> ours = new CopyOnWriteArrayList<>();
        core.listen(ours::add);
        Map<String, String> profile = new LinkedHashMap<>();
        for (String f : List.of("Direction", "Logical-Direction", "Username", "Dialplan", "Caller-ID-Name",
                "Caller-ID-Number", "Network-Addr", "ANI", "Destination-Number", "Unique-ID", "Source", "Context",
                "Channel-Name", "Profile-Index", "Profile-Created-Time", "Channel-Created-Time")) {
            profile.put(f, "x");
        }
        Channel channel = new Channel(core, n -> java.util.Optional.of((c, a) -> "FILE PLAYED"),
                "sofia/drachtio_mrf/sipp@127.0.0.1", profile);
        Map<String, EslEvent> mine = new LinkedHashMap<>();
        mine.put("CHANNEL_DATA", channel.channelDataEvent("parse_command", 2029).header("Content-Type", "command/reply")
                .header("Reply-Text", "+OK\n").header("Socket-Mode", "async").header("Control", "full").build());
        channel.execute("playback", "tone_stream://%(500,0,440)", "u-1");
        channel.dtmf('1', "RTP", 1600);
        for (EslEvent e : ours) {
            mine.putIfAbsent(e.eventName(), e);
        }
        for (String name : List.of("CHANNEL_DATA", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "DTMF")) {
            List<String> theirs = names(real.get(name));
            List<String> ourNames = names(mine.get(name));
            assertThat(ourNames).as(name + ": every header of the real switch").containsAll(theirs);
            assertThat(ourNames.stream().filter(theirs::contains).toList()).as(name + ": in its order")
                    .containsExactlyElementsOf(theirs.stream().distinct().toList());
        }
    }
}
