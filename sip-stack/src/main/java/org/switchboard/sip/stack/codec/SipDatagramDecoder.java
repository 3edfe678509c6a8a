package org.switchboard.sip.stack.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.Optional;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.SipMessage;

/**
 * Reads one SIP message from each UDP datagram. Datagrams of CR and LF only are keep-alives and are
 * ignored; oversized or unreadable datagrams become {@linkplain Inbound.Malformed malformed events}.
 */
public final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final FramingLimits limits;

    /** A decoder with these limits. */
    public SipDatagramDecoder(FramingLimits limits) {
        super(DatagramPacket.class);
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        if (isKeepAlive(content)) {
            return;
        }
        if (content.readableBytes() > limits.maxMessageBytes()) {
            out.add(new Inbound.Malformed("datagram of " + content.readableBytes() + " bytes exceeds "
                    + limits.maxMessageBytes() + " bytes", Optional.empty(), packet.sender(), false));
            return;
        }
        try {
            out.add(new Inbound.Message(SipMessage.parse(ByteBufUtil.getBytes(content)), packet.sender()));
        } catch (SipParseException e) {
            out.add(new Inbound.Malformed(e.getMessage(), Optional.empty(), packet.sender(), false));
        }
    }

    /** Whether a datagram or WebSocket message holds nothing but CR and LF (a keep-alive). */
    static boolean isKeepAlive(ByteBuf content) {
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
