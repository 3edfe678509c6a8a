package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.media.codec.G711;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.media.source.Sources;

/** Two sessions on loopback talking to each other over the shared clock. */
class RtpSessionTest {

    static EventLoopGroup group;
    static MediaClock clock;
    static final PortRange PORTS = new PortRange(31000, 31100);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock = MediaClock.start();
    }

    @AfterAll
    static void stop() {
        clock.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Collects what a session hears. */
    static final class Ear implements RtpSession.Listener {
        final short[] audio = new short[8000 * 10];
        int length;
        final List<String> digits = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void onAudio(short[] frame) {
            if (length + frame.length <= audio.length) {
                System.arraycopy(frame, 0, audio, length, frame.length);
                length += frame.length;
            }
        }

        @Override
        public void onDigit(char digit, String how) {
            digits.add(digit + "/" + how);
        }

        synchronized double rms() {
            double e = 0;
            for (int i = 0; i < length; i++) {
                e += (double) audio[i] * audio[i];
            }
            return Math.sqrt(e / Math.max(1, length));
        }

        synchronized double amplitudeAt(double freq) {
            return Goertzel.amplitude(audio, 0, length, freq, 8000);
        }
    }

    static int freePort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    static void await(java.util.function.BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Test
    void audioAndRfc4733DigitsCrossAtTwentyMilliseconds() throws Exception {
        Ear earA = new Ear();
        Ear earB = new Ear();
        try (RtpSession a = RtpSession.open(group, clock, LOOPBACK, PORTS, earA);
             RtpSession b = RtpSession.open(group, clock, LOOPBACK, PORTS, earB)) {
            a.remote(new InetSocketAddress(LOOPBACK, b.localPort()));
            b.remote(new InetSocketAddress(LOOPBACK, a.localPort()));
            a.codec(G711.PCMA, 101);
            b.codec(G711.PCMA, 101);
            boolean[] done = new boolean[1];
            long started = System.nanoTime();
            a.play(Sources.open("tone_stream://%(1000,0,1000);v=-10", Path.of(".")), () -> done[0] = true);
            await(() -> done[0], Duration.ofSeconds(5));
            long took = System.nanoTime() - started;
            assertThat(done[0]).isTrue();
            // one second of tone paced by the clock: 50 packets, about a second
            assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(900), Duration.ofMillis(1400));
            Thread.sleep(200);
            assertThat(earB.amplitudeAt(1000)).as("1 kHz heard by B").isGreaterThan(3000);
            assertThat(b.stats().packetsReceived()).isGreaterThanOrEqualTo(50);
            assertThat(b.stats().lost()).isZero();
            a.sendDtmf("123#", 100);
            await(() -> earB.digits.size() >= 4, Duration.ofSeconds(5));
            assertThat(earB.digits).containsExactly("1/rfc2833", "2/rfc2833", "3/rfc2833", "#/rfc2833");
        }
        assertThat(PORTS.available()).as("ports given back").isEqualTo(51);
    }

    @Test
    void rtcpReportsGoBothWays() throws Exception {
        try (RtpSession a = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { },
                Duration.ofMillis(200));
             RtpSession b = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { },
                     Duration.ofMillis(200))) {
            a.remote(new InetSocketAddress(LOOPBACK, b.localPort()));
            b.remote(new InetSocketAddress(LOOPBACK, a.localPort()));
            await(() -> a.stats().rtcpReceived() >= 3 && b.stats().rtcpReceived() >= 3, Duration.ofSeconds(3));
            assertThat(a.stats().rtcpReceived()).isGreaterThanOrEqualTo(3);
            assertThat(b.stats().rtcpSent()).isGreaterThanOrEqualTo(3);
            // the sender report counts what was sent: at most one report interval behind
            long reported = a.stats().peerReportedPackets();
            assertThat(reported).isPositive().isLessThanOrEqualTo(b.stats().packetsSent())
                    .isGreaterThan(b.stats().packetsSent() - 30);
            assertThat(a.stats().malformed()).isZero();
        }
    }

    @Test
    void withoutTelephoneEventsDigitsAreHeardInBand() throws Exception {
        Ear earB = new Ear();
        try (RtpSession a = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { });
             RtpSession b = RtpSession.open(group, clock, LOOPBACK, PORTS, earB)) {
            a.remote(new InetSocketAddress(LOOPBACK, b.localPort()));
            a.codec(G711.PCMU, -1);
            b.codec(G711.PCMU, -1);
            a.play(Sources.open("tone_stream://%(120,120,697,1209);%(120,120,697,1336);%(120,120,941,1477);v=-6",
                    Path.of(".")), null);
            await(() -> earB.digits.size() >= 3, Duration.ofSeconds(5));
            assertThat(earB.digits).containsExactly("1/inband", "2/inband", "#/inband");
        }
    }

    @Test
    void theClockKeepsItsBeat() throws InterruptedException {
        Thread.sleep(300);
        assertThat(clock.latenessMicros(0.5)).as("median lateness (µs)").isLessThan(5000);
    }
}
