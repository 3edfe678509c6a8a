package org.switchboard.testing.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * For the fuzz tests of stream decoders: the same bytes written to a new decoder in one piece and cut in pieces
 * must decode to the same objects, and the only failure a decoder may raise is its protocol's own exception.
 */
public final class Framing {

    /**
     * What a decoder made of some input: a description of each object decoded, the bytes it wrote back (a
     * keep-alive's answer, say), and the failure, if any.
     */
    public record Outcome(List<String> decoded, String written, Optional<Throwable> failure) {
    }

    private Framing() {
    }

    /**
     * Decodes {@code data} whole and cut at {@code cuts} (offsets, any order, out of range ones ignored) and checks
     * that both give the same objects and fail alike, with nothing but {@code protocolError} as the cause.
     *
     * @param describe how a decoded object is compared (and shown); it must not keep the object, which is released
     * @return what the whole input gave
     * @throws AssertionError when the cuts change the outcome or another exception escapes
     */
    public static Outcome assertCutsChangeNothing(Supplier<? extends ChannelHandler> decoder, byte[] data, int[] cuts,
            Function<Object, String> describe, Class<? extends Exception> protocolError) {
        Outcome whole = decode(decoder.get(), List.of(data), describe);
        Outcome pieces = decode(decoder.get(), cut(data, cuts), describe);
        for (Outcome o : List.of(whole, pieces)) {
            o.failure().ifPresent(f -> {
                Throwable cause = f instanceof DecoderException && f.getCause() != null ? f.getCause() : f;
                if (!protocolError.isInstance(cause)) {
                    throw new AssertionError("not a " + protocolError.getSimpleName() + ": " + f, f);
                }
            });
        }
        if (!whole.decoded().equals(pieces.decoded()) || !whole.written().equals(pieces.written())
                || whole.failure().isPresent() != pieces.failure().isPresent()) {
            throw new AssertionError("cutting the input at " + Arrays.toString(cuts) + " changed what it decodes to:\nwhole:  "
                    + whole + "\npieces: " + pieces);
        }
        return whole;
    }

    /** Writes {@code pieces} one after another; stops at the first failure. Everything decoded is released. */
    public static Outcome decode(ChannelHandler decoder, List<byte[]> pieces, Function<Object, String> describe) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<String> decoded = new ArrayList<>();
        Throwable failure = null;
        try {
            for (byte[] piece : pieces) {
                channel.writeInbound(Unpooled.wrappedBuffer(piece));
                drain(channel, decoded, describe);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            channel.finish(); // the end of the stream: what the decoder makes of a partial frame counts too
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        drain(channel, decoded, describe);
        StringBuilder written = new StringBuilder();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            try {
                written.append(o instanceof ByteBuf b ? b.toString(StandardCharsets.ISO_8859_1) : o.toString());
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return new Outcome(decoded, written.toString(), Optional.ofNullable(failure));
    }

    private static void drain(EmbeddedChannel channel, List<String> decoded, Function<Object, String> describe) {
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            try {
                decoded.add(describe.apply(o));
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    private static List<byte[]> cut(byte[] data, int[] cuts) {
        int[] at = Arrays.stream(cuts).filter(c -> c > 0 && c < data.length).sorted().distinct().toArray();
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int c : at) {
            pieces.add(Arrays.copyOfRange(data, from, c));
            from = c;
        }
        pieces.add(Arrays.copyOfRange(data, from, data.length));
        return pieces;
    }
}
