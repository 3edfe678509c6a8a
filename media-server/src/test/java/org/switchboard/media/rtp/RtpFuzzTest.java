package org.switchboard.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of what arrives on an RTP port: a datagram is RTP or refused with an
 * {@link IllegalArgumentException}, and a packet read prints back to bytes that read the same; an RFC 4733 payload
 * is an event or refused; SRTP with a wrong or no tag is dropped (-1), never an exception. The default build replays
 * the inputs under {@code RtpFuzzTestInputs}; {@code scripts/fuzz} fuzzes.
 */
class RtpFuzzTest {

    private static final byte[] KEY = new byte[SrtpSuite.KEY_BYTES];
    private static final byte[] SALT = new byte[SrtpSuite.SALT_BYTES];

    @FuzzTest
    void datagram(byte[] data) {
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(data, 0, data.length);
        } catch (IllegalArgumentException refused) {
            return;
        }
        byte[] printed = packet.toBytes();
        assertThat(RtpPacket.parse(printed, 0, printed.length)).isEqualTo(packet);
        try {
            TelephoneEvent.parse(packet.payload()).digit();
        } catch (IllegalArgumentException notAnEvent) {
            // most payloads are audio
        }
    }

    @FuzzTest
    void srtp(FuzzedDataProvider data) {
        SrtpSuite suite = data.pickValue(SrtpSuite.values());
        byte[] packet = data.consumeRemainingAsBytes();
        int length = new SrtpContext(suite, KEY, SALT).unprotect(packet.clone(), packet.length);
        assertThat(length).isBetween(-1, packet.length);
        byte[] copy = Arrays.copyOf(packet, packet.length + suite.tagBytes());
        try {
            RtpPacket.parse(packet, 0, packet.length);
        } catch (IllegalArgumentException notRtp) {
            return;
        }
        int sealed = new SrtpContext(suite, KEY, SALT).protect(copy, packet.length, 0);
        assertThat(new SrtpContext(suite, KEY, SALT).unprotect(copy, sealed)).as("what was protected unprotects")
                .isEqualTo(packet.length);
        assertThat(Arrays.copyOf(copy, packet.length)).isEqualTo(packet);
    }
}
