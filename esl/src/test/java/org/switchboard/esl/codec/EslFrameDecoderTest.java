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

    @Test
    void theHeaderLimitIsTheSameWhetherTheBlockComesWholeOrCut() {
        // 1,025 bytes before the block's last byte: cut there, the block is over the limit before its end arrives
        String block = "X: " + "y".repeat(1021) + "\n\n";
        assertThat(block.length() - 1).isEqualTo(1025);
        EmbeddedChannel whole = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> whole.writeInbound(Unpooled.copiedBuffer(block, StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("header block exceeds 1024 bytes");
        EmbeddedChannel cut = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        cut.writeInbound(Unpooled.copiedBuffer(block.substring(0, 1000), StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> cut.writeInbound(Unpooled.copiedBuffer(block.substring(1000, 1025), StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("header block exceeds 1024 bytes");
        // one byte shorter: taken both ways
        EmbeddedChannel atLimit = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        atLimit.writeInbound(Unpooled.copiedBuffer("X: " + "y".repeat(1020) + "\n\n", StandardCharsets.US_ASCII));
        assertThat((Object) atLimit.readInbound()).isInstanceOf(EslFrame.class);
        whole.finishAndReleaseAll();
        cut.finishAndReleaseAll();
        atLimit.finishAndReleaseAll();
    }

    /** A frame read from the wire answers header lookups from its bytes; the same answers as from its lines. */
    @Test
    void headersReadFromTheBytesAgreeWithTheLines() {
        for (String t : List.of("esl-inbound-a-api.jsonl", "esl-inbound-c-events-plain.jsonl", "esl-inbound-g-conference.jsonl",
                "esl-inbound-f-filter-nixevent-noevents.jsonl", "esl-outbound-h-connect-execute-dtmf.jsonl")) {
            byte[] stream = switchSide(t);
            assertThat(stream).as(t).isNotEmpty();
            for (EslFrame f : decode(stream, new Random(4))) {
                EslFrame fromLines = new EslFrame(f.lines(), f.body());
                for (String line : f.lines()) {
                    int colon = line.indexOf(':');
                    String name = colon < 0 ? line : line.substring(0, colon);
                    for (String asked : List.of(name, name.toUpperCase(java.util.Locale.ROOT), name + "X", "")) {
                        assertThat(f.header(asked)).as("%s in %s", asked, f).isEqualTo(fromLines.header(asked));
                    }
                }
                assertThat(f.contentType()).isEqualTo(fromLines.contentType());
            }
        }
        String crlf = "Content-Type: text/plain\r\nX-A:no-space\r\nX-B: \r\nx-c:  two spaces\r\n\r\n";
        EslFrame f = decode(crlf.getBytes(StandardCharsets.UTF_8), null).get(0);
        EslFrame fromLines = new EslFrame(f.lines(), f.body());
        for (String name : List.of("Content-Type", "X-A", "x-b", "X-C", "X-D")) {
            assertThat(f.header(name)).as(name).isEqualTo(fromLines.header(name));
        }
        assertThat(f.header("X-C")).hasValue(" two spaces");
    }

    @Test
    void contentLengthsAsWritten() {
        for (String[] c : new String[][] {{"Content-Length: 3", "abc"}, {"content-length:3", "abc"}, {"Content-Length: 003", "abc"},
                {"Content-Length:  3 ", "abc"}, {"Content-Length: +3", "abc"}, {"CONTENT-LENGTH: 3\r", "abc"}, {"Content-Length: 0", ""}}) {
            List<EslFrame> frames = decode((c[0] + "\nContent-Type: api/response\n\n" + c[1] + "api x\n\n").getBytes(StandardCharsets.UTF_8),
                    new Random(5));
            assertThat(frames).as(c[0]).hasSize(2);
            assertThat(frames.get(0).bodyAsString()).as(c[0]).isEqualTo(c[1]);
        }
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("Content-Length: 1x\n\n", StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("Content-Length '1x' is not a number");
        ch.finishAndReleaseAll();
        EmbeddedChannel ch2 = new EmbeddedChannel(new EslFrameDecoder(1024, 100));
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.copiedBuffer("Content-Length: 99999999999\n\n", StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("Content-Length 99999999999 is outside 0..100 bytes");
        ch2.finishAndReleaseAll();
    }
}
