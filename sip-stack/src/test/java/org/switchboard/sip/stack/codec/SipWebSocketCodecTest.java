package org.switchboard.sip.stack.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;

/** SIP over WebSocket framing without sockets: one message per WebSocket message, both ways. */
class SipWebSocketCodecTest {

    @Test
    void readsOneMessagePerTextOrBinaryFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipWebSocketCodec());
        ch.writeInbound(new TextWebSocketFrame(SipStreamDecoderTest.OPTIONS));
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.copiedBuffer(SipStreamDecoderTest.OPTIONS, StandardCharsets.UTF_8)));
        for (int i = 0; i < 2; i++) {
            Inbound.Message m = ch.readInbound();
            assertThat(m.message().bodyAsString()).isEqualTo("hello world");
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void ignoresKeepAlivesAndControlFramesAndReportsGarbage() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipWebSocketCodec());
        ch.writeInbound(new TextWebSocketFrame("\r\n\r\n"));
        ch.writeInbound(new PongWebSocketFrame());
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(new TextWebSocketFrame("not sip at all"));
        Inbound.Malformed bad = ch.readInbound();
        assertThat(bad.closeConnection()).as("a bad message does not break the framing").isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void writesUtf8MessagesAsTextFramesAndOthersAsBinary() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipWebSocketCodec());
        SipMessage text = SipMessage.parse(SipStreamDecoderTest.OPTIONS.getBytes(StandardCharsets.UTF_8));
        ch.writeOutbound(text);
        TextWebSocketFrame frame = ch.readOutbound();
        assertThat(frame.text()).isEqualTo(SipStreamDecoderTest.OPTIONS);
        frame.release();

        byte[] binary = SipStreamDecoderTest.OPTIONS.replace("hello world", "hello\u00ffworl").getBytes(StandardCharsets.ISO_8859_1);
        ch.writeOutbound(SipMessage.parse(binary));
        WebSocketFrame other = ch.readOutbound();
        assertThat(other).isInstanceOf(BinaryWebSocketFrame.class);
        other.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void pingsWhenTheWriterIsIdle() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipWebSocketCodec());
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat((Object) ch.readOutbound()).isInstanceOf(PingWebSocketFrame.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void closesAnUpgradeThatDidNotAgreeOnTheSipSubprotocol() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipWebSocketCodec());
        ch.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete("/", new DefaultHttpHeaders(), null));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1002);
        close.release();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
