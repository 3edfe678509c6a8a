package org.switchboard.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.pcap.Pcap;

/** RTP and RFC 4733 events as sipp plays them from the pcap files of the drachtio-srf test suite. */
class RtpCaptureTest {

    private static List<RtpPacket> rtp(String capture) {
        return Pcap.udp(Interop.bytes("sipp/pcap/" + capture)).stream()
                .map(d -> RtpPacket.parse(d.payload(), 0, d.payload().length)).toList();
    }

    @ParameterizedTest
    @CsvSource({"dtmf_2833_0.pcap,0", "dtmf_2833_1.pcap,1", "dtmf_2833_5.pcap,5", "dtmf_2833_9.pcap,9",
        "dtmf_2833_star.pcap,*", "dtmf_2833_pound.pcap,#"})
    void eachCaptureCarriesOneDigit(String capture, char digit) {
        List<RtpPacket> packets = rtp(capture);
        assertThat(packets).isNotEmpty().allSatisfy(p -> assertThat(p.payloadType()).isEqualTo(101));
        assertThat(packets.get(0).marker()).as("the first packet of the event has M set").isTrue();
        List<TelephoneEvent> events = packets.stream().map(p -> TelephoneEvent.parse(p.payload())).toList();
        assertThat(events).allSatisfy(e -> assertThat(e.digit()).isEqualTo(digit));
        // one event: the same timestamp throughout, growing durations, and end packets (sent three times) last
        assertThat(packets.stream().map(RtpPacket::timestamp).distinct()).hasSize(1);
        assertThat(events.get(events.size() - 1).end()).isTrue();
        assertThat(events.get(0).end()).isFalse();
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).duration()).isGreaterThanOrEqualTo(events.get(i - 1).duration());
        }
    }

    @Test
    void theG711CaptureIsAudibleALaw() {
        List<RtpPacket> packets = rtp("g711a.pcap");
        assertThat(packets).hasSizeGreaterThan(100).allSatisfy(p -> assertThat(p.payloadType()).isEqualTo(8));
        // equal packets (this capture has 30 ms: 240 samples), timestamps a packet apart, sequence numbers one apart
        int size = packets.get(0).payload().length;
        assertThat(size).isEqualTo(240);
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).payload()).hasSize(size);
            assertThat((packets.get(i).sequence() - packets.get(i - 1).sequence()) & 0xFFFF).isEqualTo(1);
            assertThat(packets.get(i).timestamp() - packets.get(i - 1).timestamp()).isEqualTo(size);
        }
        double energy = 0;
        long samples = 0;
        for (RtpPacket p : packets) {
            short[] pcm = new short[p.payload().length];
            G711.PCMA.decode(p.payload(), 0, pcm, 0, pcm.length);
            for (short s : pcm) {
                energy += (double) s * s;
                samples++;
            }
        }
        assertThat(Math.sqrt(energy / samples)).as("RMS of the decoded audio").isGreaterThan(100);
    }

    @Test
    void packetsAndEventsRoundTripAndBadInputIsRefused() {
        RtpPacket p = new RtpPacket(true, 101, 65535, 0xFFFFFFF0L, 0xCAFEBABEL,
                new TelephoneEvent(11, true, 10, 800).toBytes());
        byte[] wire = p.toBytes();
        assertThat(RtpPacket.parse(wire, 0, wire.length)).isEqualTo(p);
        assertThat(TelephoneEvent.parse(p.payload())).isEqualTo(new TelephoneEvent(11, true, 10, 800));
        assertThat(TelephoneEvent.eventOf('#')).isEqualTo(11);
        assertThatThrownBy(() -> RtpPacket.parse(new byte[] {(byte) 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 12))
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> RtpPacket.parse(new byte[5], 0, 5)).hasMessageContaining("at least 12");
        // a CSRC count that points past the end
        assertThatThrownBy(() -> RtpPacket.parse(new byte[] {(byte) 0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 12))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
