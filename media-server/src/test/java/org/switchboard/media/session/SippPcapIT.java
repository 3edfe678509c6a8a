package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.pcap.Pcap;
import org.switchboard.testing.sipp.Sipp;

/**
 * A real RTP peer: sipp's {@code uac-pcap.xml} (drachtio-srf's test suite) calls, then plays 8 s of recorded A-law
 * speech and an RFC 2833 digit from pcap files at the RTP port our SDP names (the sip-stack UAS answers with
 * that SDP). The session must take every packet, hear the speech and the digit.
 */
class SippPcapIT {

    @Test
    void recordedSpeechAndDigitFromSippArrive() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RtpSessionTest.Ear ear = new RtpSessionTest.Ear();
        int sipPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sipPort = probe.getLocalPort();
        }
        try (MediaClock clock = MediaClock.start();
             RtpSession rtp = RtpSession.open(group, clock, InetAddress.getLoopbackAddress(), new PortRange(32000, 32100), ear)) {
            rtp.codec(G711.PCMA, 101);
            String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio "
                    + rtp.localPort() + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
            try (UserAgent uas = UserAgent.start(UserAgentConfig.builder().answerSdp(sdp).stack(new SipStackConfig(
                    TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", sipPort).build(), TimerConfig.DEFAULTS))
                    .build())) {
                Sipp.Result r = Sipp.scenario(Interop.path("sipp/uac-pcap.xml")).runIn(Interop.path("sipp"))
                        .target("127.0.0.1:" + sipPort)
                        .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", "1")
                        .deadline(Duration.ofSeconds(40)).run();
                assertThat(r.exitCode()).as(r.describe()).isZero();
            }
            // every packet of both captures arrived (loopback loses none), none thrown away as malformed
            int sent = Pcap.udp(Interop.bytes("sipp/pcap/g711a.pcap")).size()
                    + Pcap.udp(Interop.bytes("sipp/pcap/dtmf_2833_1.pcap")).size();
            assertThat(rtp.stats().packetsReceived()).isEqualTo(sent);
            assertThat(rtp.stats().malformed()).isZero();
            assertThat(ear.digits).containsExactly("1/rfc2833");
            assertThat(ear.rms()).as("RMS of what was heard").isGreaterThan(100);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
