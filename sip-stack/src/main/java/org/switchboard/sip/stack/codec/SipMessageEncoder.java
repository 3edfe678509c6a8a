package org.switchboard.sip.stack.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.switchboard.sip.message.SipMessage;

/** Writes SIP messages onto a stream, byte for byte as {@link SipMessage#toBytes()} gives them. */
@ChannelHandler.Sharable
public final class SipMessageEncoder extends MessageToByteEncoder<SipMessage> {

    /** The one instance; the encoder has no state. */
    public static final SipMessageEncoder INSTANCE = new SipMessageEncoder();

    private SipMessageEncoder() {
        super(SipMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SipMessage message, ByteBuf out) {
        out.writeBytes(message.toBytes());
    }
}
