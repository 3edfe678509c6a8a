package org.switchboard.media.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;
import org.switchboard.media.dtmf.DtmfDetector;
import org.switchboard.media.rtp.RtpPacket;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.rtp.TelephoneEvent;
import org.switchboard.media.source.AudioSource;

/**
 * One channel's RTP: a UDP port from the range, audio in the negotiated codec out at 20 ms on the shared {@link MediaClock} (packets are
 * sent from the clock thread with a non-blocking send on the socket that Netty reads), symmetric RTP
 * (replies go to where the peer's packets come from), a small reordering jitter buffer in, RFC 4733 DTMF both ways
 * and in-band DTMF detection when no telephone-event payload type was negotiated. Received audio is handed to the
 * listener as 20 ms frames on the clock thread (silence while nothing arrives).
 *
 * <p>This class owns the sockets and the send side (the clock thread, and the control commands that change what
 * plays, under its monitor); the reordering and playout of what is received are {@code JitterBuffer}, the reports
 * {@code Rtcp}.
 */
public final class RtpSession implements AutoCloseable {

    /** Samples in one 20 ms frame at 8 kHz. */
    public static final int FRAME = 160;
    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);
    private static final int DTMF_END_PACKETS = 3;

    /** What a session reports. Called on the clock thread; must not block. */
    public interface Listener {
        /** 160 samples of what the peer sent (silence when nothing came). */
        default void onAudio(short[] frame) {
        }

        /** A DTMF digit, with how it came: {@code rfc2833} or {@code inband}. */
        default void onDigit(char digit, String how) {
        }
    }

    /** Counters of one session; each count goes to the server's {@link MediaMeters} too. */
    public static final class Stats {
        private final MediaMeters totals;
        final LongAdder sent = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final LongAdder unauthenticated = new LongAdder();
        final LongAdder lost = new LongAdder();
        final LongAdder rtcpSent = new LongAdder();
        final LongAdder rtcpReceived = new LongAdder();
        volatile long peerReportedPackets = -1;

        /** Counters whose counts go to {@code totals} as well. */
        public Stats(MediaMeters totals) {
            this.totals = totals;
        }

        void sent() {
            sent.increment();
            totals.sent.increment();
        }

        void received() {
            received.increment();
            totals.received.increment();
        }

        void lost(long packets) {
            lost.add(packets);
            totals.lost.increment(packets);
        }

        public long packetsSent() {
            return sent.sum();
        }

        public long packetsReceived() {
            return received.sum();
        }

        public long malformed() {
            return malformed.sum();
        }

        /** SRTP packets dropped: their tag did not match, or they were replays. */
        public long unauthenticated() {
            return unauthenticated.sum();
        }

        /** RTCP compound packets sent (a sender or receiver report with SDES CNAME). */
        public long rtcpSent() {
            return rtcpSent.sum();
        }

        /** RTCP packets received (and well-formed). */
        public long rtcpReceived() {
            return rtcpReceived.sum();
        }

        /** The sender's packet count of the last sender report received, -1 before one came. */
        public long peerReportedPackets() {
            return peerReportedPackets;
        }

        /** Packets skipped over by the jitter buffer (never arrived, or too late). */
        public long lost() {
            return lost.sum();
        }
    }

    /** Default time between RTCP reports: 5 s (RFC 3550's minimum interval). */
    public static final java.time.Duration DEFAULT_RTCP_INTERVAL = java.time.Duration.ofSeconds(5);

    private final Channel channel;
    private final DatagramChannel socket;
    private final Rtcp rtcp;
    private long octetsSent;
    /** The largest payload sent: 20 ms of G.711 or G.722, well above what Opus makes of it at its bit rate. */
    private static final int MAX_PAYLOAD = 4 * FRAME;
    /** Room for an SRTP authentication tag after the packet. */
    private static final int MAX_TAG = 10;
    private final ByteBuffer wire = ByteBuffer.allocateDirect(RtpPacket.HEADER_BYTES + MAX_PAYLOAD + MAX_TAG);
    private final byte[] tx = new byte[RtpPacket.HEADER_BYTES + MAX_PAYLOAD + MAX_TAG];
    /** SRTP (both null: plain RTP): what we send is encrypted with one, what comes is checked with the other. */
    private volatile SrtpContext srtpSender;
    private volatile SrtpContext srtpReceiver;
    private final PortRange ports;
    private final int port;
    private final MediaClock clock;
    private final AutoCloseable tick;
    private final Listener listener;
    private final Stats stats;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
    private final DtmfDetector inband;

    // send side (clock thread, and setters from others: guarded by this)
    private volatile InetSocketAddress remote;
    private volatile boolean learned;
    private volatile boolean onHold;
    private volatile Codec codec = G711.PCMU;
    private volatile int payloadType = G711.PCMU.payloadType();
    private Codec.Encoder encoder = G711.PCMU.encoder();
    /** RTP timestamp units in 20 ms: 160, or 960 for Opus's 48 kHz clock. */
    private volatile int step = FRAME;
    private volatile int eventPayloadType = 101;
    private AudioSource source;
    private Runnable sourceDone;
    private final Deque<Character> digitsToSend = new ArrayDeque<>();
    private int dtmfDurationSamples = 800;
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
    private boolean firstPacket = true;
    private long lastSend;
    private char sendingDigit;
    private long digitTimestamp;
    private int digitElapsed;
    private int endPacketsLeft;
    private final short[] out = new short[FRAME];
    private final byte[] encoded = new byte[MAX_PAYLOAD];

    // receive side: the event loop fills the jitter buffer, the clock thread empties it
    private final JitterBuffer jitter;
    // the RTP socket's event loop only
    private long lastEventTimestamp = -1;
    private final short[] in = new short[FRAME];
    // read buffer of the event loop that serves this socket (one thread): reused for every datagram
    private final byte[] rx = new byte[2048];

    private RtpSession(Channel channel, DatagramChannel socket, Channel rtcpChannel, DatagramChannel rtcpSocket,
                       PortRange ports, int port, MediaClock clock, Listener listener, java.time.Duration rtcpInterval) {
        this.channel = channel;
        this.socket = socket;
        this.stats = new Stats(clock.meters());
        this.jitter = new JitterBuffer(stats);
        this.rtcp = new Rtcp(rtcpChannel, rtcpSocket, stats, ssrc,
                (int) Math.max(1, rtcpInterval.toNanos() / MediaClock.TICK_NANOS));
        this.ports = ports;
        this.port = port;
        this.listener = listener;
        this.inband = new DtmfDetector(d -> listener.onDigit(d, "inband"));
        this.clock = clock;
        this.tick = clock.register(this::tick);
    }

    /**
     * Opens a session on the next free port of {@code ports} at {@code address}. Blocks while binding.
     *
     * @throws IllegalStateException when no port of the range can be bound
     */
    public static RtpSession open(EventLoopGroup group, MediaClock clock, InetAddress address, PortRange ports,
                                  Listener listener) {
        return open(group, clock, address, ports, listener, DEFAULT_RTCP_INTERVAL);
    }

    /**
     * As {@link #open(EventLoopGroup, MediaClock, InetAddress, PortRange, Listener)}, with RTCP reports every
     * {@code rtcpInterval} (from the port above the RTP port).
     */
    public static RtpSession open(EventLoopGroup group, MediaClock clock, InetAddress address, PortRange ports,
                                  Listener listener, java.time.Duration rtcpInterval) {
        BoundPorts bound = BoundPorts.take(address, ports)
                .orElseThrow(() -> new IllegalStateException("no free RTP port in the range"));
        int port = bound.port();
        RtpSession[] session = new RtpSession[1];
        NioDatagramChannel channel = new NioDatagramChannel(bound.rtp());
        channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                RtpSession s = session[0];
                if (s != null) {
                    s.receive(packet);
                }
            }
        });
        NioDatagramChannel rtcp = new NioDatagramChannel(bound.rtcp());
        rtcp.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                RtpSession s = session[0];
                if (s != null) {
                    if (s.srtpReceiver == null) {
                        s.rtcp.receive(packet); // SRTCP is not read (see secure)
                    }
                }
            }
        });
        ChannelFuture registered = group.register(channel).awaitUninterruptibly();
        ChannelFuture rtcpRegistered = group.register(rtcp).awaitUninterruptibly();
        if (!registered.isSuccess() || !rtcpRegistered.isSuccess()) {
            channel.close();
            rtcp.close();
            ports.release(port);
            Throwable cause = registered.isSuccess() ? rtcpRegistered.cause() : registered.cause();
            throw new IllegalStateException("cannot register the RTP/RTCP sockets of port " + port, cause);
        }
        session[0] = new RtpSession(channel, bound.rtp(), rtcp, bound.rtcp(), ports, port, clock, listener, rtcpInterval);
        return session[0];
    }

    /** The local RTP port (for the SDP). */
    public int localPort() {
        return port;
    }

    public Stats stats() {
        return stats;
    }

    /** Where to send until the peer's own packets show where it really is (symmetric RTP). */
    public void remote(InetSocketAddress address) {
        if (!learned) {
            remote = address;
        }
    }

    /** A new remote address from a new offer or answer: used until the peer's packets show another (symmetric RTP). */
    public void redirect(InetSocketAddress address) {
        learned = false;
        remote = address;
    }

    /** On hold (the peer's SDP was sendonly, inactive or 0.0.0.0): nothing is sent until resumed. */
    public void hold(boolean onHold) {
        this.onHold = onHold;
    }

    /** The codec negotiated at its usual payload type, and the telephone-event payload type (-1: none). */
    public void codec(Codec codec, int telephoneEventPayloadType) {
        codec(codec, codec.payloadType(), telephoneEventPayloadType);
    }

    /**
     * The codec negotiated, its payload type, and the telephone-event payload type (-1: none; DTMF is then detected
     * in-band). A new codec starts with fresh encoder and decoder state.
     */
    public synchronized void codec(Codec codec, int payloadType, int telephoneEventPayloadType) {
        if (codec != this.codec || payloadType != this.payloadType) {
            this.encoder = codec.encoder();
            jitter.decoder(payloadType, codec.decoder());
        }
        this.codec = codec;
        this.payloadType = payloadType;
        this.step = FRAME * codec.clockRate() / 8000;
        this.eventPayloadType = telephoneEventPayloadType;
    }

    /**
     * Makes the session SRTP: what is sent is encrypted with {@code sender}, what comes is checked and decrypted with
     * {@code receiver} (and dropped when it fails). RTCP reports stop meanwhile: SRTCP is not implemented, and a plain
     * report beside SRTP would be refused by the peer.
     */
    public void secure(SrtpContext sender, SrtpContext receiver) {
        this.srtpReceiver = receiver;
        this.srtpSender = sender;
    }

    /** The codec in use. */
    public Codec codec() {
        return codec;
    }

    /** Plays {@code next} instead of what plays now; {@code done} runs (on the clock thread) when it ends. */
    public synchronized void play(AudioSource next, Runnable done) {
        source = next;
        sourceDone = done;
    }

    /** Stops playing; the stopped source's completion does not run. */
    public synchronized void stop() {
        source = null;
        sourceDone = null;
    }

    /** Sends DTMF digits as RFC 4733 events of {@code durationMs} each (audio pauses meanwhile). */
    public synchronized void sendDtmf(String digits, int durationMs) {
        dtmfDurationSamples = Math.max(step, durationMs * step / 20);
        for (char d : digits.toCharArray()) {
            TelephoneEvent.eventOf(d); // refuses what is not a digit
            digitsToSend.add(d);
        }
    }

    // ---- one tick: send a packet, play out a frame ------------------------------------------------------------

    private void tick() {
        send();
        playOut();
        if (rtcp.due()) {
            report();
        }
    }

    /** An RTCP report of what was sent, unless on hold (clock thread). */
    private synchronized void report() {
        if (!onHold && srtpSender == null) {
            rtcp.report(remote, stats.sent.sum(), timestamp, octetsSent);
        }
    }

    private synchronized void send() {
        if (sendingDigit == 0 && !digitsToSend.isEmpty() && eventPayloadType >= 0) {
            sendingDigit = digitsToSend.poll();
            digitTimestamp = timestamp;
            digitElapsed = 0;
            endPacketsLeft = DTMF_END_PACKETS;
        }
        if (sendingDigit != 0) {
            sendDigitPacket();
            return;
        }
        int n = 0;
        if (source != null) {
            n = Math.max(0, source.read(out, 0, FRAME));
            if (n < FRAME) {
                Runnable done = sourceDone;
                source = null;
                sourceDone = null;
                if (done != null) {
                    done.run();
                }
            }
        }
        java.util.Arrays.fill(out, n, FRAME, (short) 0);
        int length = encoder.encode(out, encoded);
        transmit(firstPacket, payloadType, timestamp, encoded, length);
        firstPacket = false;
        timestamp += step;
    }

    private void sendDigitPacket() {
        digitElapsed = Math.min(digitElapsed + step, 0xFFFF);
        boolean end = digitElapsed >= dtmfDurationSamples;
        TelephoneEvent event = new TelephoneEvent(TelephoneEvent.eventOf(sendingDigit), end, 10, digitElapsed);
        byte[] bytes = event.toBytes();
        transmit(digitElapsed == step, eventPayloadType, digitTimestamp, bytes, bytes.length);
        if (end && --endPacketsLeft == 0) {
            // the event is over: the media timestamp moves on by its duration
            timestamp = digitTimestamp + digitElapsed;
            sendingDigit = 0;
        }
    }

    /**
     * Sends one packet from the clock thread: written into this session's own buffer and handed to the kernel with
     * a non-blocking send (nothing allocated: this runs for every channel every 20 ms). A full socket buffer drops it.
     */
    private void transmit(boolean marker, int payloadType, long ts, byte[] payload, int length) {
        int counter = sequence++;
        InetSocketAddress to = remote;
        if (to == null || onHold || !socket.isOpen()) {
            return;
        }
        tx[0] = (byte) 0x80;
        tx[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        tx[2] = (byte) (counter >> 8);
        tx[3] = (byte) counter;
        for (int i = 0; i < 4; i++) {
            tx[4 + i] = (byte) (ts >>> (24 - 8 * i));
            tx[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, tx, RtpPacket.HEADER_BYTES, length);
        int packetLength = RtpPacket.HEADER_BYTES + length;
        SrtpContext srtp = srtpSender;
        if (srtp != null) {
            packetLength = srtp.protect(tx, packetLength, counter >>> 16);
        }
        wire.clear();
        wire.put(tx, 0, packetLength).flip();
        try {
            if (socket.send(wire, to) > 0) {
                long now = System.nanoTime();
                if (lastSend != 0) {
                    clock.sendInterval(now - lastSend);
                }
                lastSend = now;
                stats.sent();
                octetsSent += length;
            }
        } catch (IOException e) {
            LOG.debug("RTP send to {} failed: {}", to, e.getMessage());
        }
    }

    // ---- receive ----------------------------------------------------------------------------------------------

    private void receive(DatagramPacket datagram) {
        ByteBuf content = datagram.content();
        int length = Math.min(content.readableBytes(), rx.length);
        content.getBytes(content.readerIndex(), rx, 0, length);
        SrtpContext srtp = srtpReceiver;
        if (srtp != null && (length = srtp.unprotect(rx, length)) < 0) {
            stats.unauthenticated.increment();
            LOG.debug("dropping an SRTP packet from {} that fails authentication or replays", datagram.sender());
            return;
        }
        int start;
        try {
            start = RtpPacket.payloadStart(rx, 0, length);
        } catch (IllegalArgumentException e) {
            stats.malformed.increment();
            LOG.debug("dropping a malformed RTP packet from {}: {}", datagram.sender(), e.getMessage());
            return;
        }
        stats.received();
        if (!datagram.sender().equals(remote)) {
            remote = datagram.sender(); // symmetric RTP: answer where the peer really is
        }
        learned = true;
        int payloadType = RtpPacket.payloadType(rx, 0);
        boolean event = payloadType == eventPayloadType || (eventPayloadType < 0 && payloadType == 101);
        int end = RtpPacket.payloadEnd(rx, 0, length);
        jitter.add(RtpPacket.ssrc(rx, 0), RtpPacket.sequence(rx, 0), payloadType, rx, start, end);
        if (event) {
            onTelephoneEvent(RtpPacket.parse(rx, 0, length));
        }
    }

    private void onTelephoneEvent(RtpPacket packet) {
        TelephoneEvent event;
        try {
            event = TelephoneEvent.parse(packet.payload());
        } catch (IllegalArgumentException e) {
            stats.malformed.increment();
            return;
        }
        if (packet.timestamp() == lastEventTimestamp) {
            return; // the same key press, continued or ended
        }
        lastEventTimestamp = packet.timestamp();
        if (event.event() <= 15) {
            listener.onDigit(event.digit(), "rfc2833");
        }
    }

    private void playOut() {
        jitter.read(in);
        if (eventPayloadType < 0) {
            inband.process(in, 0, FRAME);
        }
        listener.onAudio(in);
    }

    /** Stops the clock task, closes the socket and gives the port back (waits for the close, except on an event loop). */
    @Override
    public void close() {
        try {
            tick.close();
        } catch (Exception e) {
            LOG.debug("closing the clock registration", e);
        }
        rtcp.close();
        ChannelFuture closing = channel.close(); // closes the socket too
        if (Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread) {
            // on an event loop (a hangup from SIP or the event socket): never wait there
            closing.addListener(f -> ports.release(port));
        } else {
            closing.awaitUninterruptibly();
            ports.release(port);
        }
    }
}
