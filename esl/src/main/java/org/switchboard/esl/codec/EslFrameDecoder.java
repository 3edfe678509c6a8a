package org.switchboard.esl.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts {@link EslFrame}s out of the stream: lines up to an empty line ({@code \r} ignored, leading empty
 * lines skipped), then {@code Content-Length} bytes of body. Works for both directions. A header block or
 * body over the limits, or a bad Content-Length, raises {@link EslProtocolException} through the pipeline.
 */
public final class EslFrameDecoder extends ByteToMessageDecoder {

    /** Default largest header block: 1 MiB (FreeSWITCH allows about 10 MB of headers from controllers). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
    /** Default largest body: 16 MiB, as FreeSWITCH. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private static final byte[] NO_BODY = new byte[0];

    private int searched;
    private byte[] pendingHead;
    private int pendingBody;

    /** A decoder with the default limits. */
    public EslFrameDecoder() {
        this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /** A decoder with these limits, in bytes. */
    public EslFrameDecoder(int maxHeaderBytes, int maxBodyBytes) {
        if (maxHeaderBytes < 64 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 64 and maxBodyBytes at least 0, were "
                    + maxHeaderBytes + " and " + maxBodyBytes + " bytes");
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (pendingHead == null) {
                while (in.isReadable() && (in.getByte(in.readerIndex()) == '\n' || in.getByte(in.readerIndex()) == '\r')) {
                    in.skipBytes(1);
                    searched = 0;
                }
                int end = headerEnd(in);
                if (end < 0) {
                    if (in.readableBytes() > maxHeaderBytes) {
                        in.skipBytes(in.readableBytes());
                        throw new EslProtocolException("header block exceeds " + maxHeaderBytes + " bytes");
                    }
                    return;
                }
                if (end - 1 - in.readerIndex() > maxHeaderBytes) {
                    // the same limit whether the block comes whole or cut: cut before its last byte, it fails above
                    in.skipBytes(in.readableBytes());
                    throw new EslProtocolException("header block exceeds " + maxHeaderBytes + " bytes");
                }
                // the header block is kept as bytes: the frame makes strings only of what is asked
                byte[] head = new byte[end - in.readerIndex()];
                in.readBytes(head);
                searched = 0;
                pendingBody = contentLength(head);
                pendingHead = head;
            }
            if (in.readableBytes() < pendingBody) {
                return;
            }
            byte[] body = pendingBody == 0 ? NO_BODY : new byte[pendingBody];
            in.readBytes(body);
            out.add(new EslFrame(pendingHead, body));
            pendingHead = null;
            if (!in.isReadable()) {
                return;
            }
        }
    }

    /** The index just past the empty line that ends the header block, or -1 ({@code \r} is ignored). */
    private int headerEnd(ByteBuf in) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        int from = start + searched;
        while (true) {
            int lf = in.indexOf(from, limit, (byte) '\n');
            if (lf < 0) {
                searched = limit - start;
                return -1;
            }
            int next = lf + 1;
            while (next < limit && in.getByte(next) == '\r') {
                next++;
            }
            if (next == limit) {
                searched = lf - start; // look at this line end again when more bytes came
                return -1;
            }
            if (in.getByte(next) == '\n') {
                return next + 1;
            }
            from = next;
        }
    }

    /** The number written in {@code b[from..to)} as a space, up to 9 digits and maybe {@code \r}; else -1. */
    private static long digits(byte[] b, int from, int to) {
        int i = from < to && b[from] == ' ' ? from + 1 : from;
        int end = to > i && b[to - 1] == '\r' ? to - 1 : to;
        if (end <= i || end - i > 9) {
            return -1;
        }
        long n = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private int contentLength(byte[] head) {
        int n = head.length;
        for (int pos = 0; pos < n; ) {
            int eol = pos;
            while (eol < n && head[eol] != '\n') {
                eol++;
            }
            if (eol - pos >= 15 && EslFrame.asciiRegionMatches(head, pos, "Content-Length:")) {
                long digits = digits(head, pos + 15, eol);
                if (digits >= 0) {
                    if (digits > maxBodyBytes) {
                        throw new EslProtocolException("Content-Length " + digits + " is outside 0.." + maxBodyBytes + " bytes");
                    }
                    return (int) digits;
                }
                String value = new String(head, pos + 15, eol - pos - 15, StandardCharsets.UTF_8).strip();
                long length;
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new EslProtocolException("Content-Length '" + value + "' is not a number");
                }
                if (length < 0 || length > maxBodyBytes) {
                    throw new EslProtocolException("Content-Length " + length + " is outside 0.." + maxBodyBytes + " bytes");
                }
                return (int) length;
            }
            pos = eol + 1;
        }
        return 0;
    }
}
