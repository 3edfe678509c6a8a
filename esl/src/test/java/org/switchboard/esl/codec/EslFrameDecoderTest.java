package org.switchboard.esl.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.interop.Interop;

public class EslFrameDecoderTest {

    /** Everything FreeSWITCH sent in a transcript, as one stream. */
    public static byte[] switchSide(String transcript) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = Pattern.compile("\"dir\": \"s2c\", \"b64\": \"([^\"]*)\"")
                .matcher(new String(Interop.bytes("transcripts/" + transcript), StandardCharsets.UTF_8));
        while (m.find()) {
            out.writeBytes(Base64.getDecoder().decode(m.group(1)));
        }
        return out.toByteArray();
    }

    public static List<EslFrame> decode(byte[] stream, Random chunking) {
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder());
        int pos = 0;
        while (pos < stream.length) {
            int n = chunking == null ? stream.length : Math.min(stream.length - pos, 1 + chunking.nextInt(3000));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, n));
            pos += n;
        }
        List<EslFrame> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((EslFrame) o);
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
        return out;
    }

    @Test
    void everyTranscriptDecodesTheSameInAnyChunking() {
        for (String t : List.of("esl-inbound-a-api.jsonl", "esl-inbound-c-events-plain.jsonl", "esl-inbound-d-events-json.jsonl",
                "esl-inbound-e-events-xml.jsonl", "esl-inbound-g-conference.jsonl")) {
            byte[] stream = switchSide(t);
            List<EslFrame> whole = decode(stream, null);
            assertThat(whole).as(t).isNotEmpty();
            Random random = new Random(t.hashCode());
            for (int round = 0; round < 20; round++) {
                assertThat(decode(stream, random)).as(t).isEqualTo(whole);
            }
            // the frames print back to the bytes they came from
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            whole.forEach(f -> again.writeBytes(f.toBytes()));
            assertThat(again.toByteArray()).as(t).isEqualTo(stream);
        }
    }

    @Test
    void bodiesOfSeveralMebibytes() {
        byte[] body = new byte[5 << 20];
        new Random(1).nextBytes(body);
        byte[] head = ("Content-Type: api/response\nContent-Length: " + body.length + "\n\n").getBytes(StandardCharsets.US_ASCII);
        byte[] stream = new byte[head.length + body.length];
        System.arraycopy(head, 0, stream, 0, head.length);
        System.arraycopy(body, 0, stream, head.length, body.length);
        List<EslFrame> frames = decode(stream, new Random(2));
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).body()).isEqualTo(body);
    }

    @Test
    void commandsFromAControllerWithCrlfAndBodies() {
        String stream = "\r\nsendmsg\r\ncall-command: execute\r\nexecute-app-name: playback\r\ncontent-type: text/plain\r\n"
                + "content-length: 24\r\n\r\nivr/8000/ivr-welcome.wavapi status\n\n";
        List<EslFrame> frames = decode(stream.getBytes(StandardCharsets.UTF_8), new Random(3));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).firstLine()).isEqualTo("sendmsg");
        assertThat(frames.get(0).header("Execute-App-Name")).hasValue("playback");
        assertThat(frames.get(0).bodyAsString()).isEqualTo("ivr/8000/ivr-welcome.wav");
        assertThat(frames.get(1).firstLine()).isEqualTo("api status");
    }

    @Test
    void badLengthsAreProtocolErrors() {
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("Content-Length: -1\n\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(EslProtocolException.class);
        EmbeddedChannel ch2 = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.copiedBuffer("Content-Length: 101\n\n", StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("Content-Length 101 is outside 0..100 bytes");
        EmbeddedChannel ch3 = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> ch3.writeInbound(Unpooled.copiedBuffer("X: " + "y".repeat(2000), StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("header block exceeds 1024 bytes");
        ch.finishAndReleaseAll();
        ch2.finishAndReleaseAll();
        ch3.finishAndReleaseAll();
    }
}
