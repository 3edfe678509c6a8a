package org.switchboard.drachtio.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts {@link DrachtioFrame}s out of the stream: decimal digits, {@code #}, then that many bytes of UTF-8 payload.
 * A non-digit before {@code #}, a length of zero or above the limit, or a payload that is not a frame raises
 * {@link DrachtioProtocolException}, after which the connection must be closed; the decoder then discards everything,
 * so no frame that followed a broken one reaches the application (not even from the bytes read before the close).
 */
public final class DrachtioFrameDecoder extends ByteToMessageDecoder {

    /** Default largest payload: 1 MiB (the reference server stops at 99,999 bytes; SIP bodies can be larger). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    private final int maxFrameBytes;
    private final int maxDigits;
    private boolean broken;

    /** A decoder accepting payloads up to 1 MiB. */
    public DrachtioFrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /** A decoder accepting payloads up to {@code maxFrameBytes}. */
    public DrachtioFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1 byte, was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.maxDigits = Integer.toString(maxFrameBytes).length();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeFrames(in, out);
        } catch (DrachtioProtocolException e) {
            broken = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeFrames(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int length = 0;
            int i = start;
            for (; i < in.writerIndex(); i++) {
                byte b = in.getByte(i);
                if (b == '#') {
                    break;
                }
                if (b < '0' || b > '9') {
                    throw new DrachtioProtocolException("frame length holds the byte 0x" + Integer.toHexString(b & 0xff)
                            + " at offset " + (i - start) + "; only digits may precede '#'");
                }
                if (i - start >= maxDigits) {
                    throw new DrachtioProtocolException("frame length has more than " + maxDigits + " digits");
                }
                length = length * 10 + (b - '0');
            }
            if (i == in.writerIndex()) {
                return; // the length is not complete yet
            }
            if (length == 0 || length > maxFrameBytes) {
                throw new DrachtioProtocolException("frame length " + length + " is outside 1.." + maxFrameBytes + " bytes");
            }
            int payloadStart = i + 1;
            if (in.writerIndex() - payloadStart < length) {
                return;
            }
            String payload = in.toString(payloadStart, length, StandardCharsets.UTF_8);
            in.readerIndex(payloadStart + length);
            out.add(DrachtioFrame.parse(payload));
        }
    }
}
