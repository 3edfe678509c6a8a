package org.switchboard.sip.stack.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.SocketAddress;

import java.util.List;
import java.util.Optional;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipFraming;
import org.switchboard.sip.message.SipMessage;

/**
 * Cuts SIP messages out of a byte stream (RFC 3261 section 18.3): the header section ends at the
 * first empty line and Content-Length says how much body follows. A double CRLF between messages is
 * an RFC 5626 keep-alive ping and is answered with a single CRLF pong; lone CRLFs are skipped.
 *
 * <p>When the framing cannot be trusted (no or bad Content-Length, a header section or message over
 * the limits) the decoder emits a {@linkplain Inbound.Malformed malformed event} that asks for the
 * connection to be closed, and discards everything after it.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {

    private static final byte[] PING = {'\r', '\n', '\r', '\n'};
    private static final byte[] PONG = {'\r', '\n'};

    private final FramingLimits limits;
    private int searched;
    private boolean broken;
    /** How much of a keep-alive ping the CR and LF bytes read between messages have matched so far. */
    private int pingMatched;

    /** A decoder with these limits. */
    public SipStreamDecoder(FramingLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        skipKeepAlives(ctx, in);
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        int headEnd = findHeaderEnd(in, start);
        // the header section counts up to its empty line; while that has not come, it is at least one byte longer
        // than what is here: the same limit whether the section came whole or cut anywhere by the network
        if (headEnd < 0 ? in.readableBytes() >= limits.maxHeaderBytes() : headEnd - start > limits.maxHeaderBytes()) {
            fail(ctx, in, out, "header section exceeds " + limits.maxHeaderBytes() + " bytes", null);
            return;
        }
        if (headEnd < 0) {
            return;
        }
        byte[] head = ByteBufUtil.getBytes(in, start, headEnd - start);
        long contentLength;
        try {
            contentLength = SipFraming.contentLength(head, 0, head.length);
        } catch (SipParseException e) {
            fail(ctx, in, out, e.getMessage(), head);
            return;
        }
        if (contentLength < 0) {
            fail(ctx, in, out, "Content-Length header: missing, and a stream message needs one", head);
            return;
        }
        if (head.length + contentLength > limits.maxMessageBytes()) {
            fail(ctx, in, out, "message of " + (head.length + contentLength) + " bytes exceeds "
                    + limits.maxMessageBytes() + " bytes", head);
            return;
        }
        int total = head.length + (int) contentLength;
        if (in.readableBytes() < total) {
            return;
        }
        byte[] bytes = new byte[total];
        in.readBytes(bytes);
        searched = 0;
        SocketAddress sender = ctx.channel().remoteAddress();
        try {
            out.add(new Inbound.Message(SipMessage.parse(bytes), sender));
        } catch (SipParseException e) {
            // framing held, so the stream goes on after this message
            out.add(new Inbound.Malformed(e.getMessage(), Optional.empty(), sender, false));
        }
    }

    private void skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') {
                pingMatched = 0;
                return;
            }
            in.skipBytes(1);
            // matched byte by byte, so that a ping the network cut in two is still a ping
            pingMatched = b == PING[pingMatched] ? pingMatched + 1 : b == '\r' ? 1 : 0;
            if (pingMatched == PING.length) {
                pingMatched = 0;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            }
        }
    }

    /** The index just past the empty line that ends the header section, or -1. */
    private int findHeaderEnd(ByteBuf in, int start) {
        int end = in.writerIndex();
        for (int i = Math.max(start, start + searched - 3); i + 3 < end; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        searched = end - start;
        return -1;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, String reason, byte[] head) {
        broken = true;
        in.skipBytes(in.readableBytes());
        Optional<SipMessage> partial = Optional.empty();
        if (head != null) {
            try {
                partial = Optional.of(SipMessage.parse(head));
            } catch (SipParseException e) {
                // nothing to answer with
            }
        }
        out.add(new Inbound.Malformed(reason, partial, ctx.channel().remoteAddress(), true));
    }

}
