package org.switchboard.drachtio.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.interop.Interop;

/** The codec against byte-exact transcripts of drachtio-server v0.9.10 talking to drachtio-srf 5.0.29. */
public class DrachtioCodecTest {

    public static byte[] side(String transcript, String dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = Pattern.compile("\"dir\": \"" + dir + "\", \"b64\": \"([^\"]*)\"")
                .matcher(new String(Interop.bytes("transcripts/" + transcript), StandardCharsets.UTF_8));
        while (m.find()) {
            out.writeBytes(Base64.getDecoder().decode(m.group(1)));
        }
        return out.toByteArray();
    }

    public static List<DrachtioFrame> decode(byte[] stream, Random chunking) {
        EmbeddedChannel ch = new EmbeddedChannel(new DrachtioFrameDecoder());
        int pos = 0;
        while (pos < stream.length) {
            int n = chunking == null ? stream.length : Math.min(stream.length - pos, 1 + chunking.nextInt(40));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, n));
            pos += n;
        }
        List<DrachtioFrame> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((DrachtioFrame) o);
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"drachtio-i-uas-invite-cdr.jsonl", "drachtio-j-bad-secret.jsonl", "drachtio-k-uac.jsonl",
        "drachtio-l-b2bua.jsonl", "drachtio-m-proxy-record-route.jsonl", "drachtio-n-reinvite-info.jsonl",
        "drachtio-o-register-options.jsonl"})
    void everyRecordedFrameDecodesInAnyChunkingAndEncodesBackByteForByte(String transcript) {
        for (String dir : List.of("c2s", "s2c")) {
            byte[] stream = side(transcript, dir);
            List<DrachtioFrame> frames = decode(stream, null);
            assertThat(frames).as(transcript + " " + dir).isNotEmpty().allMatch(DrachtioFrame::isKnownKeyword);
            // splits anywhere, inside the length digits too
            Random random = new Random(transcript.hashCode() + dir.hashCode());
            for (int round = 0; round < 10; round++) {
                assertThat(decode(stream, random)).isEqualTo(frames);
            }
            EmbeddedChannel enc = new EmbeddedChannel(new DrachtioFrameEncoder(DrachtioFrameDecoder.DEFAULT_MAX_FRAME_BYTES));
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            for (DrachtioFrame f : frames) {
                enc.writeOutbound(f);
                ByteBuf b = enc.readOutbound();
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                again.writeBytes(bytes);
            }
            assertThat(enc.finishAndReleaseAll()).isFalse();
            assertThat(again.toByteArray()).as(transcript + " " + dir).isEqualTo(stream);
        }
    }

    @Test
    void typedViewsOfRealFrames() {
        List<DrachtioFrame> server = decode(side("drachtio-i-uas-invite-cdr.jsonl", "s2c"), null);
        DrachtioFrame authOk = server.get(0);
        assertThat(authOk.keyword()).isEqualTo("response");
        assertThat(authOk.isOk()).isTrue();
        assertThat(authOk.token(4)).isEqualTo("tcp/127.0.0.1:5060,udp/127.0.0.1:5060");
        assertThat(authOk.token(5)).startsWith("v0.9.10");
        DrachtioFrame invite = server.stream().filter(f -> f.keyword().equals("sip")).findFirst().orElseThrow();
        assertThat(invite.meta()).hasValueSatisfying(m -> {
            assertThat(m.source()).isEqualTo("network");
            assertThat(m.protocol()).isEqualTo("udp");
            assertThat(m.port()).isEqualTo("5071");
        });
        assertThat(invite.transactionId()).hasSize(36);
        assertThat(invite.dialogId()).isEmpty();
        assertThat(invite.token(10)).isEqualTo("127.0.0.1");
        assertThat(invite.sipMessage()).hasValueSatisfying(sip -> assertThat(sip).startsWith("INVITE sip:uas-test@127.0.0.1:5060 SIP/2.0\r\n"));
        DrachtioFrame sent200 = server.stream().filter(f -> f.keyword().equals("response") && f.token(13).equals("Msg sent:"))
                .findFirst().orElseThrow();
        assertThat(sent200.dialogId()).isEqualTo("1-4037@127.0.0.1;from-tag=4037SIPpTag001");
        assertThat(sent200.transactionId()).isEqualTo(invite.transactionId());
        List<DrachtioFrame> refused = decode(side("drachtio-j-bad-secret.jsonl", "s2c"), null);
        assertThat(refused.get(0).status()).isEqualTo("NO");
        assertThat(refused.get(0).token(4)).isEqualTo("incorrect secret");
    }

    @Test
    void lengthsCountUtf8Bytes() {
        DrachtioFrame f = DrachtioFrame.of("c-1", "sip", "", "").withSipMessage("INVITE sip:x@y SIP/2.0\r\nFrom: \"Zoë 😀\" <sip:z@y>\r\n\r\n");
        byte[] wire = f.toBytes();
        String text = new String(wire, StandardCharsets.UTF_8);
        int declared = Integer.parseInt(text.substring(0, text.indexOf('#')));
        assertThat(declared).isEqualTo(f.payload().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(f.payload().length());
        assertThat(decode(wire, new Random(1))).containsExactly(f);
        byte[] two = (new String(wire, StandardCharsets.UTF_8) + new String(DrachtioFrame.of("c-2", "ping").toBytes(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(decode(two, null)).hasSize(2);
    }

    @Test
    void malformedLengthsAndOversizedFramesAreProtocolErrors() {
        EmbeddedChannel ch = new EmbeddedChannel(new DrachtioFrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("1x#abc", StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class).hasRootCauseMessage("frame length holds the byte 0x78 at offset 1; only digits may precede '#'");
        EmbeddedChannel ch2 = new EmbeddedChannel(new DrachtioFrameDecoder(100));
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.copiedBuffer("101#", StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("frame length 101 is outside 1..100 bytes");
        EmbeddedChannel ch3 = new EmbeddedChannel(new DrachtioFrameDecoder(100));
        assertThatThrownBy(() -> ch3.writeInbound(Unpooled.copiedBuffer("0#", StandardCharsets.US_ASCII)))
                .hasRootCauseMessage("frame length 0 is outside 1..100 bytes");
        // found by the fuzzer: a bare CR in the leader escaped as an IllegalArgumentException from the frame's checks
        EmbeddedChannel ch4 = new EmbeddedChannel(new DrachtioFrameDecoder(100));
        assertThatThrownBy(() -> ch4.writeInbound(Unpooled.copiedBuffer("8#a|b\rc|d\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class).hasRootCauseInstanceOf(DrachtioProtocolException.class);
        EmbeddedChannel enc = new EmbeddedChannel(new DrachtioFrameEncoder(DrachtioFrameEncoder.REFERENCE_SERVER_LIMIT));
        DrachtioFrame huge = DrachtioFrame.of("c-1", "sip", "", "").withSipMessage("x".repeat(100_000));
        assertThatThrownBy(() -> enc.writeOutbound(huge)).isInstanceOf(EncoderException.class)
                .hasRootCauseMessage("frame of 100011 bytes exceeds the peer's limit of 99999 bytes");
        assertThatThrownBy(() -> DrachtioFrame.of("c-1", "route", "in|vite")).isInstanceOf(IllegalArgumentException.class);
        for (EmbeddedChannel c : List.of(ch, ch2, ch3, ch4, enc)) {
            c.finishAndReleaseAll();
        }
    }

    @Test
    void noFrameAfterABrokenOneIsDelivered() {
        // found by the fuzzer: the frames after a broken one, already read, were decoded when the connection closed
        EmbeddedChannel ch = new EmbeddedChannel(new DrachtioFrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("5#1|pi\n6#2|ping", StandardCharsets.US_ASCII)))
                .hasRootCauseInstanceOf(DrachtioProtocolException.class);
        ch.writeInbound(Unpooled.copiedBuffer("6#3|ping", StandardCharsets.US_ASCII));

        assertThat(ch.finish()).isFalse();
        assertThat((Object) ch.readInbound()).isNull();
    }
}
