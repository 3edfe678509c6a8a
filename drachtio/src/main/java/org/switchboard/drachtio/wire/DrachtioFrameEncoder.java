package org.switchboard.drachtio.wire;

import io.netty.buffer.ByteBuf;
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
        byte[] payload = frame.payloadBytes();
        if (payload.length > maxFrameBytes) {
            throw new DrachtioProtocolException("frame of " + payload.length + " bytes exceeds the peer's limit of "
                    + maxFrameBytes + " bytes");
        }
        out.writeCharSequence(payload.length + "#", StandardCharsets.US_ASCII);
        out.writeBytes(payload);
    }
}
