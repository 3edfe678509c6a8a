package org.switchboard.sip.stack.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipRequest;

class SipStreamDecoderTest {

    static final String OPTIONS = "OPTIONS sip:carol@chicago.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r\n"
            + "Max-Forwards: 70\r\nTo: <sip:carol@chicago.com>\r\n"
            + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\nCSeq: 63104 OPTIONS\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SipStreamDecoder(new FramingLimits(4096, 1024)));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static List<Inbound> drain(EmbeddedChannel ch) {
        List<Inbound> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((Inbound) o);
        }
        return out;
    }

    @Test
    void cutsMessagesOutOfAnyChunking() {
        byte[] stream = ("\r\n" + OPTIONS + OPTIONS.replace("63104", "63105") + OPTIONS.replace("63104", "63106"))
                .getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            EmbeddedChannel ch = channel();
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, 1 + random.nextInt(120));
                ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, n));
                pos += n;
            }
            List<Inbound> out = drain(ch);
            assertThat(out).hasSize(3).allMatch(Inbound.Message.class::isInstance);
            List<Long> seqs = out.stream().map(i -> ((Inbound.Message) i).message().cseq().number()).toList();
            assertThat(seqs).containsExactly(63104L, 63105L, 63106L);
            assertThat(((Inbound.Message) out.get(0)).message().bodyAsString()).isEqualTo("hello world");
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void printsBackExactlyWhatItRead() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(OPTIONS));
        SipRequest request = (SipRequest) ((Inbound.Message) ch.readInbound()).message();
        assertThat(new String(request.toBytes(), StandardCharsets.UTF_8)).isEqualTo(OPTIONS);
        ch.finishAndReleaseAll();
    }

    @Test
    void answersDoubleCrlfPingWithPong() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("\r\n\r\n"));
        ByteBuf pong = ch.readOutbound();
        assertThat(pong.toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        pong.release();
        ch.writeInbound(bytes(OPTIONS));
        assertThat(drain(ch)).hasSize(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void answersAPingTheNetworkCutInTwo() {
        // found by the fuzzer: the two halves were skipped as lone CRLFs and the ping went unanswered
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("\r\n"));
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeInbound(bytes("\r\n"));
        ByteBuf pong = ch.readOutbound();
        assertThat(pong.toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        pong.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void missingContentLengthBreaksTheStreamButKeepsTheHeadersToAnswer() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(OPTIONS.replace("Content-Length: 11\r\n", "")));
        Inbound.Malformed bad = ch.readInbound();
        assertThat(bad.closeConnection()).isTrue();
        assertThat(bad.reason()).contains("Content-Length").contains("missing");
        assertThat(bad.partial()).isPresent();
        ch.writeInbound(bytes(OPTIONS));
        assertThat(drain(ch)).as("nothing after lost framing is read").isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void negativeOrConflictingContentLengthIsMalformed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(OPTIONS.replace("Content-Length: 11", "Content-Length: -999")));
        Inbound.Malformed bad = ch.readInbound();
        assertThat(bad.reason()).contains("-999");
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = channel();
        ch2.writeInbound(bytes(OPTIONS.replace("Content-Length: 11", "Content-Length: 11\r\nl: 12")));
        assertThat(((Inbound.Malformed) ch2.readInbound()).reason()).contains("disagree");
        ch2.finishAndReleaseAll();
    }

    @Test
    void oversizedHeaderSectionAndMessageAreRejected() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("OPTIONS sip:a@b SIP/2.0\r\nX-Long: " + "x".repeat(1100)));
        Inbound.Malformed bad = ch.readInbound();
        assertThat(bad.reason()).contains("1024 bytes");
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = channel();
        ch2.writeInbound(bytes(OPTIONS.replace("Content-Length: 11", "Content-Length: 5000")));
        assertThat(((Inbound.Malformed) ch2.readInbound()).reason()).contains("exceeds 4096 bytes");
        ch2.finishAndReleaseAll();
    }

    /** Found by fuzzing: a section over the limit that arrived whole was let through to the Content-Length check. */
    @Test
    void theHeaderLimitIsTheSameWhetherTheSectionComesWholeOrCut() {
        String start = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nX-Pad: ";
        String end = "\r\nContent-Length: 0\r\n\r\n";
        String atLimit = start + "x".repeat(1024 - start.length() - end.length()) + end;
        String overLimit = start + "x".repeat(1025 - start.length() - end.length()) + end;
        for (int cut = 0; cut <= overLimit.length(); cut += 7) {
            EmbeddedChannel at = channel();
            at.writeInbound(bytes(atLimit.substring(0, Math.min(cut, atLimit.length()))));
            at.writeInbound(bytes(atLimit.substring(Math.min(cut, atLimit.length()))));
            assertThat(drain(at)).as("1,024 bytes cut at %d", cut).singleElement().isInstanceOf(Inbound.Message.class);
            at.finishAndReleaseAll();

            EmbeddedChannel over = channel();
            over.writeInbound(bytes(overLimit.substring(0, cut)));
            over.writeInbound(bytes(overLimit.substring(cut)));
            assertThat(drain(over)).as("1,025 bytes cut at %d", cut).singleElement()
                    .satisfies(m -> assertThat(((Inbound.Malformed) m).reason()).isEqualTo("header section exceeds 1024 bytes"));
            over.finishAndReleaseAll();
        }
    }

    @Test
    void unreadableMessageWithIntactFramingDoesNotStopTheStream() {
        EmbeddedChannel ch = channel();
        String broken = "GARBAGE\r\nno colon here\r\nContent-Length: 0\r\n\r\n";
        ch.writeInbound(bytes(broken + OPTIONS));
        List<Inbound> out = drain(ch);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(Inbound.Malformed.class);
        assertThat(((Inbound.Malformed) out.get(0)).closeConnection()).isFalse();
        assertThat(out.get(1)).isInstanceOf(Inbound.Message.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void waitsForTheRestOfTheBody() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(OPTIONS.substring(0, OPTIONS.length() - 5)));
        assertThat(drain(ch)).isEmpty();
        ch.writeInbound(bytes(OPTIONS.substring(OPTIONS.length() - 5)));
        assertThat(drain(ch)).hasSize(1);
        ch.finishAndReleaseAll();
    }
}
