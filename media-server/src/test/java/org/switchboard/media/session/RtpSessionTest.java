package org.switchboard.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
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
import org.switchboard.media.rtp.SrtcpContext;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.codec.G711;
import org.switchboard.media.rtp.RtpPacket;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.media.source.Sources;
import org.switchboard.testing.poll.Poll;

/** Two sessions on loopback talking to each other over the shared clock. */
class RtpSessionTest {

    /** Samples in 20 ms at 8 kHz. */
    private static final int FRAME = 160;

    static EventLoopGroup group;
    static MediaClock clock;
    static final PortRange PORTS = new PortRange(31000, 31100);
    static final io.micrometer.core.instrument.simple.SimpleMeterRegistry METERS =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock = MediaClock.start(0, MediaMeters.create(METERS));
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

    static void await(java.util.function.BooleanSupplier condition, Duration within) throws InterruptedException {
        Poll.until(within, condition); // the caller asserts what it waited for
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
            a.play(Sources.open("tone_stream://%(1000,0,1000);v=-10", Path.of("."), 8000), () -> done[0] = true);
            await(() -> done[0], Duration.ofSeconds(5));
            long took = System.nanoTime() - started;
            assertThat(done[0]).isTrue();
            // one second of tone paced by the clock: 50 packets, about a second
            assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(900), Duration.ofMillis(1400));
            await(() -> earB.amplitudeAt(1000) > 3000, Duration.ofSeconds(5)); // through B's jitter buffer
            assertThat(earB.amplitudeAt(1000)).as("1 kHz heard by B").isGreaterThan(3000);
            // the last packets may still be on their way to B's event loop when B has heard enough of the tone
            await(() -> b.stats().packetsReceived() >= 50, Duration.ofSeconds(5));
            assertThat(b.stats().packetsReceived()).isGreaterThanOrEqualTo(50);
            assertThat(b.stats().lost()).isZero();
            assertThat(METERS.get("media.rtp.packets.received").functionCounter().count()).as("the clock's totals have B's packets")
                    .isGreaterThanOrEqualTo(b.stats().packetsReceived());
            assertThat(METERS.get("media.rtp.packets.sent").functionCounter().count()).isGreaterThanOrEqualTo(a.stats().packetsSent());
            assertThat(METERS.get("media.clock.send.interval.error").timer().count())
                    .as("every packet after a stream's first has its interval measured").isGreaterThanOrEqualTo(49);
            a.sendDtmf("123#", 100);
            await(() -> earB.digits.size() >= 4, Duration.ofSeconds(5));
            assertThat(earB.digits).containsExactly("1/rfc2833", "2/rfc2833", "3/rfc2833", "#/rfc2833");
        }
        assertThat(PORTS.available()).as("ports given back").isEqualTo(51);
    }

    /** An RTP packet of {@code ssrc} whose 160 samples all have {@code level}. */
    static java.nio.ByteBuffer packet(int payloadType, int sequence, long ssrc, int level) {
        short[] samples = new short[FRAME];
        java.util.Arrays.fill(samples, (short) level);
        byte[] payload = new byte[FRAME];
        G711.PCMU.encode(samples, 0, payload, 0, FRAME);
        return java.nio.ByteBuffer.wrap(new RtpPacket(false, payloadType, sequence, sequence * 160L, ssrc, payload).toBytes());
    }

    @Test
    void packetsAreHeardInSequenceOrderWithGapsCountedAndANewSourceFollowed() throws Exception {
        Ear ear = new Ear();
        try (RtpSession s = RtpSession.open(group, clock, LOOPBACK, PORTS, ear);
             java.nio.channels.DatagramChannel peer = java.nio.channels.DatagramChannel.open()) {
            s.codec(G711.PCMU, 101);
            peer.connect(new InetSocketAddress(LOOPBACK, s.localPort()));
            // 104 never comes, 102 twice, 110 is a telephone event (its place in the sequence, no audio)
            int[] order = {100, 102, 101, 103, 102, 105, 106, 107, 108, 109, 111};
            for (int seq : order) {
                peer.write(packet(0, seq, 0xA1, (seq - 99) * 1000));
            }
            peer.write(java.nio.ByteBuffer.wrap(new RtpPacket(false, 101, 110, 109 * 160L, 0xA1,
                    new byte[] {10, (byte) 0x80, 0, (byte) 160}).toBytes()));
            // a new source numbers afresh, below the old one: followed, not taken for late packets
            peer.write(packet(0, 7, 0xB2, 20000));
            await(() -> levels(ear).contains(20), Duration.ofSeconds(5));
            assertThat(levels(ear)).containsExactly(1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 20);
            assertThat(s.stats().lost()).as("104 only").isEqualTo(1);
            assertThat(s.stats().packetsReceived()).isEqualTo(13);
        }
    }

    /** The level of each frame heard that was not silence, in thousands. */
    static List<Integer> levels(Ear ear) {
        synchronized (ear) {
            List<Integer> levels = new java.util.ArrayList<>();
            for (int at = 0; at + FRAME <= ear.length; at += FRAME) {
                if (ear.audio[at] != 0) {
                    levels.add((int) Math.round(ear.audio[at] / 1000.0));
                }
            }
            return levels;
        }
    }

    @Test
    void aSessionClosesEveryEncoderAndDecoderItMadeWhenTheCodecChangesAndWhenItEnds() throws Exception {
        Counting first = new Counting(G711.PCMA);
        Counting second = new Counting(G711.PCMU);
        try (RtpSession s = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { })) {
            s.codec(first, 101);
            s.codec(first, 101); // the same codec again keeps its coders
            assertThat(first.made.get()).isEqualTo(2);
            s.codec(second, 101);
            assertThat(first.closed.get()).as("the first codec's encoder and decoder").isEqualTo(2);
            assertThat(second.made.get()).isEqualTo(2);
            assertThat(second.closed.get()).isZero();
        }
        assertThat(second.closed.get()).as("closed with the session").isEqualTo(2);
    }

    /** A codec whose coders count how many were made and closed (native state is freed only by a close). */
    private static final class Counting implements org.switchboard.media.codec.Codec {
        final org.switchboard.media.codec.Codec codec;
        final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();

        Counting(org.switchboard.media.codec.Codec codec) {
            this.codec = codec;
        }

        @Override
        public String name() {
            return codec.name();
        }

        @Override
        public int clockRate() {
            return codec.clockRate();
        }

        @Override
        public int sampleRate() {
            return codec.sampleRate();
        }

        @Override
        public int bitRate() {
            return codec.bitRate();
        }

        @Override
        public int payloadType() {
            return codec.payloadType();
        }

        @Override
        public Encoder encoder() {
            Encoder encoder = codec.encoder();
            made.incrementAndGet();
            return new Encoder() {
                @Override
                public int encode(short[] pcm, byte[] out) {
                    return encoder.encode(pcm, out);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        @Override
        public Decoder decoder() {
            Decoder decoder = codec.decoder();
            made.incrementAndGet();
            return new Decoder() {
                @Override
                public int decode(byte[] payload, int from, int length, short[] out, int offset) {
                    return decoder.decode(payload, from, length, out, offset);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
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
    void srtpSessionsExchangeTheirReportsAsSrtcpAndRefuseThemWithAWrongKey() throws Exception {
        byte[] keyA = new byte[16];
        byte[] keyB = new byte[16];
        byte[] salt = new byte[14];
        new java.security.SecureRandom().nextBytes(keyA);
        new java.security.SecureRandom().nextBytes(keyB);
        var suite = org.switchboard.media.rtp.SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        try (RtpSession a = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { },
                Duration.ofMillis(200));
             RtpSession b = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { },
                     Duration.ofMillis(200));
             RtpSession c = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { },
                     Duration.ofMillis(200))) {
            a.secure(new SrtpContext(suite, keyA, salt), new SrtpContext(suite, keyB, salt),
                    new SrtcpContext(keyA, salt), new SrtcpContext(keyB, salt));
            b.secure(new SrtpContext(suite, keyB, salt), new SrtpContext(suite, keyA, salt),
                    new SrtcpContext(keyB, salt), new SrtcpContext(keyA, salt));
            // c encrypts its media right for a but signs its reports with the wrong key
            c.secure(new SrtpContext(suite, keyB, salt), new SrtpContext(suite, keyA, salt),
                    new SrtcpContext(keyA, salt), new SrtcpContext(keyA, salt));
            a.remote(new InetSocketAddress(LOOPBACK, b.localPort()));
            b.remote(new InetSocketAddress(LOOPBACK, a.localPort()));
            await(() -> a.stats().rtcpReceived() >= 3 && b.stats().rtcpReceived() >= 3, Duration.ofSeconds(3));
            assertThat(a.stats().rtcpReceived()).isGreaterThanOrEqualTo(3);
            assertThat(b.stats().rtcpReceived()).isGreaterThanOrEqualTo(3);
            assertThat(a.stats().peerReportedPackets()).isPositive().isLessThanOrEqualTo(b.stats().packetsSent());
            assertThat(a.stats().unauthenticated()).isZero();
            assertThat(a.stats().malformed()).isZero();

            c.remote(new InetSocketAddress(LOOPBACK, a.localPort()));
            long before = a.stats().rtcpReceived();
            await(() -> c.stats().rtcpSent() >= 3, Duration.ofSeconds(3));
            await(() -> a.stats().unauthenticated() >= 3, Duration.ofSeconds(3));
            assertThat(a.stats().unauthenticated()).as("c's reports refused").isGreaterThanOrEqualTo(3);
            assertThat(a.stats().rtcpReceived() - before).as("only b's reports read")
                    .isLessThanOrEqualTo(b.stats().rtcpSent());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"PCMU", "G722", "opus"})
    void withoutTelephoneEventsDigitsAreHeardInBandAtAnyRate(String name) throws Exception {
        Ear earB = new Ear();
        org.switchboard.media.codec.Codec codec = org.switchboard.media.codec.Codecs.byName(name).orElseThrow();
        try (RtpSession a = RtpSession.open(group, clock, LOOPBACK, PORTS, new RtpSession.Listener() { });
             RtpSession b = RtpSession.open(group, clock, LOOPBACK, PORTS, earB)) {
            a.remote(new InetSocketAddress(LOOPBACK, b.localPort()));
            a.codec(codec, -1);
            b.codec(codec, -1);
            a.play(Sources.open("tone_stream://%(120,120,697,1209);%(120,120,697,1336);%(120,120,941,1477);v=-6",
                    Path.of("."), 8000), null);
            await(() -> earB.digits.size() >= 3, Duration.ofSeconds(5));
            assertThat(earB.digits).containsExactly("1/inband", "2/inband", "#/inband");
        }
    }

    @Test
    void theClockKeepsItsBeat() throws InterruptedException {
        Thread.sleep(300); // a measuring window, not a wait: the clock's ticks meanwhile are what is measured
        assertThat(clock.latenessMicros(0.5)).as("median lateness (µs)").isLessThan(5000);
    }
}
