package org.switchboard.drachtio.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link DrachtioFrame}s with their UTF-8 byte length. A frame above the limit is refused: a client talking
 * to the C++ drachtio-server must keep to 99,999 bytes ({@link #REFERENCE_SERVER_LIMIT}).
 */
@ChannelHandler.Sharable
public final class DrachtioFrameEncoder extends MessageToByteEncoder<DrachtioFrame> {

    /** The largest frame the reference drachtio-server reads (5 length digits). */
    public static final int REFERENCE_SERVER_LIMIT = 99_999;

    private final int maxFrameBytes;

    /** An encoder refusing payloads above {@code maxFrameBytes}. */
    public DrachtioFrameEncoder(int maxFrameBytes) {
        super(DrachtioFrame.class);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DrachtioFrame frame, ByteBuf out) {
        // written piece by piece into the buffer: joining the payload into one text and then one byte array copied
        // each SIP message twice more on its way out, and a call crosses the connection in about twenty frames
        String leader = String.join("|", frame.tokens());
        String sip = frame.sipMessage().orElse(null);
        int length = ByteBufUtil.utf8Bytes(leader) + (sip == null ? 0 : 2 + ByteBufUtil.utf8Bytes(sip));
        if (length > maxFrameBytes) {
            throw new DrachtioProtocolException("frame of " + length + " bytes exceeds the peer's limit of "
                    + maxFrameBytes + " bytes");
        }
        String prefix = length + "#";
        out.ensureWritable(prefix.length() + length);
        out.writeCharSequence(prefix, StandardCharsets.US_ASCII);
        ByteBufUtil.writeUtf8(out, leader);
        if (sip != null) {
            out.writeByte('\r').writeByte('\n');
            ByteBufUtil.writeUtf8(out, sip);
        }
    }
}
