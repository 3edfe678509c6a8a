package org.switchboard.media.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;
import org.switchboard.media.rtp.SrtcpContext;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.source.AudioSource;

/**
 * One channel's RTP: a UDP port from the range, audio in the negotiated codec (at the codec's own rate: 8 kHz for
 * G.711, 16 kHz for G.722, 48 kHz for Opus) out at 20 ms on the shared {@link MediaClock} (packets are
 * sent from the clock thread with a non-blocking send on the socket that Netty reads), symmetric RTP
 * (replies go to where the peer's packets come from), a small reordering jitter buffer in, RFC 4733 DTMF both ways
 * and in-band DTMF detection when no telephone-event payload type was negotiated. Received audio is handed to the
 * listener as 20 ms frames on the clock thread (silence while nothing arrives).
 *
 * <p>This class owns the sockets, the clock registration and the port; the send side (what plays, the encoder,
 * digits, the packets) is {@code RtpSender}, the receive side (checking, parsing, digits, playout) {@code RtpReceiver}
 * with its {@code JitterBuffer}, the reports {@code Rtcp}.
 */
public final class RtpSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);

    /** What a session reports. Called on the clock thread; must not block. */
    public interface Listener {
        /** 20 ms of what the peer sent at the codec's rate (silence when nothing came); the array is reused. */
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
            totals.lost.add(packets);
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
    private final Rtcp rtcp;
    private final PortRange ports;
    private final int port;
    private final AutoCloseable tick;
    private final Stats stats;
    private final RtpSender sender;
    private final RtpReceiver receiver;
    // guarded by this: what codec() last set, to keep the decoder's state while it does not change
    private Codec codec = G711.PCMU;
    private int payloadType = G711.PCMU.payloadType();

    private RtpSession(Channel channel, DatagramChannel socket, Channel rtcpChannel, DatagramChannel rtcpSocket,
                       PortRange ports, int port, MediaClock clock, Listener listener, java.time.Duration rtcpInterval) {
        long ssrc = ThreadLocalRandom.current().nextLong(1L << 32);
        this.channel = channel;
        this.stats = new Stats(clock.meters());
        this.sender = new RtpSender(socket, clock, stats, ssrc);
        this.receiver = new RtpReceiver(stats, listener, sender);
        this.rtcp = new Rtcp(rtcpChannel, rtcpSocket, stats, ssrc,
                (int) Math.max(1, rtcpInterval.toNanos() / MediaClock.TICK_NANOS));
        this.ports = ports;
        this.port = port;
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
                    s.receiver.receive(packet);
                }
            }
        });
        NioDatagramChannel rtcp = new NioDatagramChannel(bound.rtcp());
        rtcp.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                RtpSession s = session[0];
                if (s != null) {
                    if (!s.receiver.secure() || s.rtcp.secure()) {
                        s.rtcp.receive(packet); // RTCP beside SRTP is read only as SRTCP (see secure)
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
        sender.remote(address);
    }

    /** A new remote address from a new offer or answer: used until the peer's packets show another (symmetric RTP). */
    public void redirect(InetSocketAddress address) {
        sender.redirect(address);
    }

    /** On hold (the peer's SDP was sendonly, inactive or 0.0.0.0): nothing is sent until resumed. */
    public void hold(boolean onHold) {
        sender.hold(onHold);
    }

    /** The codec negotiated at its usual payload type, and the telephone-event payload type (-1: none). */
    public void codec(Codec codec, int telephoneEventPayloadType) {
        codec(codec, codec.payloadType(), telephoneEventPayloadType);
    }

    /**
     * The codec negotiated, its payload type, and the telephone-event payload type (-1: none; DTMF is then detected
     * in-band). A new codec starts with fresh encoder and decoder state.
     */
    public synchronized void codec(Codec next, int nextPayloadType, int telephoneEventPayloadType) {
        boolean changed = next != codec || nextPayloadType != payloadType;
        codec = next;
        payloadType = nextPayloadType;
        sender.codec(next, nextPayloadType, telephoneEventPayloadType);
        receiver.codec(nextPayloadType, changed ? next.decoder() : null, next.sampleRate(), telephoneEventPayloadType);
    }

    /**
     * Makes the session SRTP: what is sent is encrypted with {@code sending}, what comes is checked and decrypted with
     * {@code receiving} (and dropped when it fails). RTCP stops meanwhile (a plain report beside SRTP would be refused
     * by the peer); {@link #secure(SrtpContext, SrtpContext, SrtcpContext, SrtcpContext)} keeps it, as SRTCP. Nulls
     * make the session plain again.
     */
    public void secure(SrtpContext sending, SrtpContext receiving) {
        secure(sending, receiving, null, null);
    }

    /** As {@link #secure(SrtpContext, SrtpContext)}, with RTCP reports protected as SRTCP with the other two. */
    public void secure(SrtpContext sending, SrtpContext receiving, SrtcpContext rtcpSending,
                       SrtcpContext rtcpReceiving) {
        rtcp.secure(rtcpSending, rtcpReceiving);
        receiver.secure(receiving);
        sender.secure(sending);
    }

    /** The codec in use. */
    public synchronized Codec codec() {
        return codec;
    }

    /**
     * Plays {@code next} (at the codec's rate: see {@code Sources.atRate}) instead of what plays now; {@code done} runs
     * (on the clock thread) when it ends.
     */
    public void play(AudioSource next, Runnable done) {
        sender.play(next, done);
    }

    /** Stops playing; the stopped source's completion does not run. */
    public void stop() {
        sender.stop();
    }

    /** Sends DTMF digits as RFC 4733 events of {@code durationMs} each (audio pauses meanwhile). */
    public void sendDtmf(String digits, int durationMs) {
        sender.sendDtmf(digits, durationMs);
    }

    /** One tick of the clock: send a packet, play out a frame, and a report when one is due. */
    private void tick() {
        sender.send();
        receiver.playOut();
        if (rtcp.due() && (!receiver.secure() || rtcp.secure())) {
            sender.report(rtcp);
        }
    }

    /** Stops the clock task, closes the socket and gives the port back (waits for the close, except on an event loop). */
    @Override
    public void close() {
        try {
            tick.close();
        } catch (Exception e) {
            LOG.debug("closing the clock registration", e);
        }
        sender.close();
        receiver.close();
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
