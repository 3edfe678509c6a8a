package org.switchboard.esl.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private int searched;
    private List<String> pendingLines;
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
            if (pendingLines == null) {
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
                String block = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
                in.readerIndex(end);
                searched = 0;
                List<String> lines = new ArrayList<>();
                for (String line : block.split("\n")) {
                    String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                    if (!l.isEmpty()) {
                        lines.add(l);
                    }
                }
                pendingLines = lines;
                pendingBody = contentLength(lines);
            }
            if (in.readableBytes() < pendingBody) {
                return;
            }
            byte[] body = new byte[pendingBody];
            in.readBytes(body);
            out.add(new EslFrame(pendingLines, body));
            pendingLines = null;
            if (!in.isReadable()) {
                return;
            }
        }
    }

    /** The index just past the empty line that ends the header block, or -1 ({@code \r} is ignored). */
    private int headerEnd(ByteBuf in) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        boolean lineStart = false;
        for (int i = start + Math.max(0, searched - 2); i < limit; i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                if (lineStart) {
                    return i + 1;
                }
                lineStart = true;
            } else if (b != '\r') {
                lineStart = false;
            }
        }
        searched = limit - start;
        return -1;
    }

    private int contentLength(List<String> lines) {
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                String value = line.substring(15).strip();
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new EslProtocolException("Content-Length '" + value + "' is not a number");
                }
                if (n < 0 || n > maxBodyBytes) {
                    throw new EslProtocolException("Content-Length " + n + " is outside 0.." + maxBodyBytes + " bytes");
                }
                return (int) n;
            }
        }
        return 0;
    }
}
