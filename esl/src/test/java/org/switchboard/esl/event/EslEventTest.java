package org.switchboard.esl.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.PercentCoding;

class EslEventTest {

    private static List<EslEvent> events(String transcript, String contentType) {
        byte[] stream = org.switchboard.esl.codec.EslFrameDecoderTest.switchSide(transcript);
        return org.switchboard.esl.codec.EslFrameDecoderTest.decode(stream, new Random(9)).stream()
                .filter(f -> f.contentType().orElse("").equals(contentType))
                .map(f -> switch (contentType) {
                    case "text/event-json" -> EslEvent.fromJson(f.body());
                    case "text/event-xml" -> EslEvent.fromXml(f.body());
                    default -> EslEvent.fromPlain(f.body());
                })
                .toList();
    }

    @Test
    void realEventsInAllThreeFormatsReadAndRoundTrip() {
        for (String[] t : new String[][] {{"esl-inbound-c-events-plain.jsonl", "text/event-plain"},
                {"esl-inbound-d-events-json.jsonl", "text/event-json"}, {"esl-inbound-e-events-xml.jsonl", "text/event-xml"}}) {
            List<EslEvent> events = events(t[0], t[1]);
            assertThat(events).as(t[0]).hasSizeGreaterThanOrEqualTo(2);
            for (EslEvent e : events) {
                assertThat(e.eventName()).isNotEmpty();
                assertThat(e.header("Core-UUID")).isPresent();
                // the same event in every format gives the same headers and body (C9)
                assertThat(EslEvent.fromPlain(e.toPlain().getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
                assertThat(EslEvent.fromJson(e.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
                assertThat(EslEvent.fromXml(e.toXml().getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
            }
        }
        List<EslEvent> plain = events("esl-inbound-c-events-plain.jsonl", "text/event-plain");
        assertThat(plain).anySatisfy(e -> {
            assertThat(e.eventName()).isEqualTo("DTMF");
            assertThat(e.header("DTMF-Digit")).isPresent();
        });
        assertThat(plain).anySatisfy(e -> assertThat(e.eventName()).isEqualTo("HEARTBEAT"));
    }

    @Test
    void plainBodyLengthCountsBytes() {
        String body = "héllo wörld ✓\n";
        String text = "Event-Name: BACKGROUND_JOB\nJob-UUID: 1\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\n\n" + body;
        EslEvent e = EslEvent.fromPlain(text.getBytes(StandardCharsets.UTF_8));
        assertThat(e.body()).isEqualTo(body);
        assertThat(e.jobUuid()).hasValue("1");
    }

    @Test
    void percentDecodingIsStrict() {
        assertThat(PercentCoding.decode("%2BOK%0A")).isEqualTo("+OK\n");
        assertThat(PercentCoding.decode("a+b")).isEqualTo("a+b");
        assertThat(PercentCoding.decode("%3A%20")).isEqualTo(": ");
        assertThat(PercentCoding.decode("50% off")).isEqualTo("50% off");
        assertThat(PercentCoding.decode("caf%C3%A9")).isEqualTo("café");
    }

    @Test
    void plainEncodingFollowsFreeSwitch() {
        assertThat(PercentCoding.encode("sofia/drachtio_mrf/drachtio@10.0.0.9")).isEqualTo("sofia/drachtio_mrf/drachtio%4010.0.0.9");
        assertThat(PercentCoding.encode("a b:c+d\r\n")).isEqualTo("a%20b%3Ac%2Bd%0D%0A");
        assertThat(PercentCoding.encode("x/y,z.%41")).isEqualTo("x/y,z.%41");
        assertThat(PercentCoding.encode("é")).isEqualTo("%C3%A9");
        EslEvent empty = EslEvent.builder("CUSTOM").header("Job-Owner-UUID", "").build();
        assertThat(empty.toPlain()).contains("Job-Owner-UUID: _undef_\n");
    }

    @Test
    void arrayHeadersAndEnvelopeDecoding() {
        EslEvent e = EslEvent.builder("CUSTOM").header("Multi", "ARRAY::a|:b|:c").build();
        assertThat(e.headerValues("Multi")).containsExactly("a", "b", "c");
        assertThat(EslEvent.fromJson(e.toJson().getBytes(StandardCharsets.UTF_8)).headerValues("Multi")).containsExactly("a", "b", "c");
        EslFrame connectReply = EslFrame.of(List.of("Event-Name: CHANNEL_DATA", "Content-Type: command/reply",
                "Reply-Text: %2BOK%0A", "Socket-Mode: async"), "");
        assertThat(connectReply.contentType()).hasValue("command/reply");
        assertThat(connectReply.decodedHeader("Reply-Text")).hasValue("+OK\n");
    }
}
