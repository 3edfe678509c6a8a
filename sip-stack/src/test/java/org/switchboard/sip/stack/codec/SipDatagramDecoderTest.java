package org.switchboard.sip.stack.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipDatagramDecoderTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5070);
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 5060);

    private static DatagramPacket packet(String text) {
        return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), US, PEER);
    }

    @Test
    void readsOneMessagePerDatagramWithItsSender() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(FramingLimits.DEFAULTS));
        ch.writeInbound(packet(SipStreamDecoderTest.OPTIONS));
        Inbound.Message m = ch.readInbound();
        assertThat(m.sender()).isEqualTo(PEER);
        assertThat(m.message().bodyAsString()).isEqualTo("hello world");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void ignoresKeepAlivesAndReportsGarbage() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(FramingLimits.DEFAULTS));
        ch.writeInbound(packet("\r\n\r\n"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(packet("\u0000\u0001 not sip at all"));
        Inbound.Malformed bad = ch.readInbound();
        assertThat(bad.closeConnection()).isFalse();
        assertThat(bad.reason()).contains("start line");
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedDatagramIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(new FramingLimits(1000, 512)));
        ch.writeInbound(packet(SipStreamDecoderTest.OPTIONS + "x".repeat(1000)));
        assertThat(((Inbound.Malformed) ch.readInbound()).reason()).contains("exceeds 1000 bytes");
        ch.finishAndReleaseAll();
    }
}
