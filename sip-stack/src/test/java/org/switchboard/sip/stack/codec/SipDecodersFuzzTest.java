package org.switchboard.sip.stack.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.switchboard.testing.fuzz.Framing;

/**
 * Coverage-guided fuzzing (Jazzer) of the SIP framing: a TCP byte stream must decode to the same messages (and the
 * same malformed-input events and keep-alive answers) however the network cuts it, and no exception may leave a
 * decoder; a datagram becomes a message, a malformed event or nothing. The default build replays the inputs under
 * {@code SipDecodersFuzzTestInputs}; {@code scripts/fuzz} fuzzes.
 */
class SipDecodersFuzzTest {

    private static final FramingLimits LIMITS = new FramingLimits(4096, 1024);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5060);

    @FuzzTest
    void stream(FuzzedDataProvider data) {
        int[] cuts = data.consumeInts(data.consumeInt(0, 8));
        byte[] bytes = data.consumeRemainingAsBytes();
        Framing.assertCutsChangeNothing(() -> new SipStreamDecoder(LIMITS), bytes, cuts, SipDecodersFuzzTest::describe,
                NeverThrown.class);
    }

    @FuzzTest
    void datagram(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new SipDatagramDecoder(LIMITS));
        try {
            channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(bytes), PEER, PEER)); // rethrows what escaped
            for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
                describe(o);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static String describe(Object o) {
        if (o instanceof Inbound.Message m) {
            return new String(m.message().toBytes(), StandardCharsets.ISO_8859_1);
        }
        if (o instanceof Inbound.Malformed m) {
            return "malformed: " + m.reason() + " close=" + m.closeConnection()
                    + m.partial().map(p -> " partial=" + new String(p.toBytes(), StandardCharsets.ISO_8859_1)).orElse("");
        }
        throw new AssertionError("a decoder passed up " + o);
    }

    /** The SIP decoders raise nothing: every fault is an {@link Inbound.Malformed} event. */
    private static final class NeverThrown extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
