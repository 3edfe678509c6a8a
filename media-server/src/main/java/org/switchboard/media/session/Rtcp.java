package org.switchboard.media.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.rtp.SrtcpContext;

/**
 * The RTCP side of one RTP session, on the port above its RTP port: a basic report every interval and what the
 * peer's reports say, in SRTCP when the session is SRTP ({@link #secure}). Reports are built and sent on the clock
 * thread (the session calls under its monitor); reports are read on the RTCP socket's event loop, which only sets
 * volatile fields and counters. Each SRTCP context is used by one of the two.
 */
final class Rtcp {

    // under the session's logger, as RTP's own send failures
    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);
    private static final byte[] CNAME = "switchboard".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final DatagramChannel socket;
    private final RtpSession.Stats stats;
    private final long ssrc;
    private final int everyTicks;
    private final ByteBuffer wire = ByteBuffer.allocate(128);
    // the event loop's copy of a received packet (SRTCP is checked and decrypted in place)
    private final byte[] rx = new byte[1500];
    private int ticksToReport;
    private volatile InetSocketAddress remote;
    private volatile SrtcpContext sending;
    private volatile SrtcpContext receiving;

    Rtcp(Channel channel, DatagramChannel socket, RtpSession.Stats stats, long ssrc, int everyTicks) {
        this.channel = channel;
        this.socket = socket;
        this.stats = stats;
        this.ssrc = ssrc;
        this.everyTicks = everyTicks;
        this.ticksToReport = everyTicks;
    }

    /** Protects reports sent with {@code sender} and checks those received with {@code receiver} (null, null: plain RTCP). */
    void secure(SrtcpContext sender, SrtcpContext receiver) {
        receiving = receiver;
        sending = sender;
    }

    /** Whether reports are SRTCP. */
    boolean secure() {
        return sending != null;
    }

    /** Counts a clock tick; whether a report is due (clock thread). */
    boolean due() {
        if (--ticksToReport > 0) {
            return false;
        }
        ticksToReport = everyTicks;
        return true;
    }

    /**
     * A basic RTCP compound packet (RFC 3550 6.4): a sender report (a receiver report while nothing was sent) and an
     * SDES CNAME, to the peer's RTCP port (the one above its RTP port {@code rtp}, or where its RTCP comes from).
     */
    void report(InetSocketAddress rtp, long packets, long rtpTimestamp, long octets) {
        InetSocketAddress to = remote != null ? remote
                : rtp == null ? null : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        if (to == null || !socket.isOpen()) {
            return;
        }
        wire.clear();
        if (packets > 0) {
            long now = System.currentTimeMillis();
            long seconds = now / 1000 + 2_208_988_800L; // NTP counts from 1900
            long fraction = ((now % 1000) << 32) / 1000;
            wire.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt((int) ssrc)
                    .putInt((int) seconds).putInt((int) fraction).putInt((int) rtpTimestamp)
                    .putInt((int) packets).putInt((int) octets);
        } else {
            wire.put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt((int) ssrc);
        }
        int sdesBytes = 4 + 4 + 2 + CNAME.length + 1; // header, SSRC, type+length, text, END
        int padded = (sdesBytes + 3) / 4 * 4;
        wire.put((byte) 0x81).put((byte) 202).putShort((short) (padded / 4 - 1)).putInt((int) ssrc)
                .put((byte) 1).put((byte) CNAME.length).put(CNAME);
        for (int i = sdesBytes - 1; i < padded; i++) {
            wire.put((byte) 0);
        }
        SrtcpContext srtcp = sending;
        if (srtcp != null) {
            wire.limit(srtcp.protect(wire.array(), wire.position()));
            wire.position(0);
        } else {
            wire.flip();
        }
        try {
            if (socket.send(wire, to) > 0) {
                stats.rtcpSent.increment();
            }
        } catch (IOException e) {
            LOG.debug("RTCP send to {} failed: {}", to, e.getMessage());
        }
    }

    /** A datagram on the RTCP port (event loop): with SRTCP, one that fails its check is dropped and counted. */
    void receive(DatagramPacket datagram) {
        ByteBuf b = datagram.content();
        int length = Math.min(b.readableBytes(), rx.length);
        b.getBytes(b.readerIndex(), rx, 0, length);
        SrtcpContext srtcp = receiving;
        if (srtcp != null && (length = srtcp.unprotect(rx, length)) < 0) {
            stats.unauthenticated.increment();
            LOG.debug("dropping an SRTCP packet from {} that fails authentication or replays", datagram.sender());
            return;
        }
        if (length < 8 || (rx[0] & 0xC0) != 0x80 || (rx[1] & 0xFF) < 200 || (rx[1] & 0xFF) > 204) {
            stats.malformed.increment();
            return;
        }
        stats.rtcpReceived.increment();
        remote = datagram.sender();
        if ((rx[1] & 0xFF) == 200 && length >= 28) {
            stats.peerReportedPackets = (rx[20] & 0xFFL) << 24 | (rx[21] & 0xFFL) << 16 | (rx[22] & 0xFFL) << 8
                    | (rx[23] & 0xFFL);
        }
    }

    void close() {
        channel.close();
    }
}
