package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.EslFrameDecoderTest;
import org.switchboard.esl.event.EslEvent;

/**
 * The same recorded FreeSWITCH streams through drachtio-modesl (Node, the ESL library drachtio-fsmrf uses)
 * and through this module: every event must come out with the same headers and body.
 */
class ModeslParityIT {

    static final Path NODE_DIR = Path.of("src/test/node");

    @ParameterizedTest
    @CsvSource({"esl-inbound-c-events-plain.jsonl", "esl-inbound-d-events-json.jsonl", "esl-inbound-e-events-xml.jsonl",
            "esl-inbound-g-conference.jsonl"})
    void sameEventsAsModesl(String transcript) throws Exception {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/drachtio-modesl")),
                "drachtio-modesl is not installed: run scripts/install-test-peers");
        byte[] stream = EslFrameDecoderTest.switchSide(transcript);
        Path file = Files.createTempFile("esl-stream", ".bin");
        Files.write(file, stream);
        Process node = new ProcessBuilder("node", "modesl-parse.js", file.toAbsolutePath().toString(), "dump")
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        List<Map<String, String>> theirs = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                theirs.add(jsonObject(line));
            }
        }
        List<Map<String, String>> ours = new ArrayList<>();
        for (EslFrame f : EslFrameDecoderTest.decode(stream, new Random(5))) {
            String type = f.contentType().orElse("");
            if (!type.startsWith("text/event-")) {
                continue;
            }
            EslEvent e = switch (type) {
                case "text/event-json" -> EslEvent.fromJson(f.body());
                case "text/event-xml" -> EslEvent.fromXml(f.body());
                default -> EslEvent.fromPlain(f.body());
            };
            Map<String, String> map = new LinkedHashMap<>();
            e.headers().forEach(h -> map.put(h.name(), h.value()));
            if (!e.body().isEmpty()) {
                map.put("_body", e.body());
            }
            ours.add(map);
        }
        assertThat(ours).hasSameSizeAs(theirs).isNotEmpty();
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("event %d of %s", i, transcript)
                    .isEqualTo(normalize(theirs.get(i), transcript.contains("xml")));
        }
    }

    /**
     * Two documented differences: modesl keeps FreeSWITCH's {@code _undef_} for empty plain values (read here as
     * empty), and leaves XML values percent-encoded (decoded here, so that all three formats give the same headers).
     */
    private static Map<String, String> normalize(Map<String, String> modesl, boolean xml) {
        Map<String, String> out = new LinkedHashMap<>();
        modesl.forEach((k, v) -> {
            String value = xml && !k.equals("_body") ? org.switchboard.esl.codec.PercentCoding.decode(v) : v;
            out.put(k, value.equals("_undef_") ? "" : value);
        });
        return out;
    }

    private static Map<String, String> jsonObject(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getValueAsString(""));
                    }
                    out.put(name, "ARRAY::" + String.join("|:", items));
                } else {
                    out.put(name, p.getValueAsString(""));
                }
            }
        }
        return out;
    }
}
