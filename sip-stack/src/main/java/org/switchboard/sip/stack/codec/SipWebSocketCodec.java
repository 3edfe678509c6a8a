package org.switchboard.sip.stack.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipMessage;

/**
 * SIP over WebSocket (RFC 7118) above Netty's WebSocket protocol handlers: each text or binary WebSocket message
 * carries exactly one SIP message, so no Content-Length framing is needed. Messages go out as text frames when
 * they are valid UTF-8, as binary frames otherwise.
 *
 * <p>Keep-alive: a writer-idle {@link IdleStateEvent} sends a ping (the peer's pong, or anything else it sends,
 * keeps a reader-idle timeout below it from firing). An accepted upgrade that did not agree on the {@value
 * #SUBPROTOCOL} subprotocol is closed.
 */
public final class SipWebSocketCodec extends MessageToMessageCodec<WebSocketFrame, SipMessage> {

    /** The WebSocket subprotocol of SIP. */
    public static final String SUBPROTOCOL = "sip";

    @Override
    protected void encode(ChannelHandlerContext ctx, SipMessage message, List<Object> out) {
        byte[] bytes = message.toBytes();
        ByteBuf content = Unpooled.wrappedBuffer(bytes);
        out.add(isUtf8(bytes) ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
            return; // pings are answered and pongs dropped by the protocol handler; nothing else carries SIP
        }
        ByteBuf content = frame.content();
        if (SipDatagramDecoder.isKeepAlive(content)) {
            return;
        }
        try {
            out.add(new Inbound.Message(SipMessage.parse(ByteBufUtil.getBytes(content)), ctx.channel().remoteAddress()));
        } catch (SipParseException e) {
            out.add(new Inbound.Malformed(e.getMessage(), Optional.empty(), ctx.channel().remoteAddress(), false));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
            ctx.writeAndFlush(new PingWebSocketFrame());
            return;
        }
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake
                && !SUBPROTOCOL.equals(handshake.selectedSubprotocol())) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, "the sip subprotocol is required"))
                    .addListener(f -> ctx.close());
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
