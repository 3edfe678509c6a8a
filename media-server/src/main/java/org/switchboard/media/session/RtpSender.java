package org.switchboard.media.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;
import org.switchboard.media.rtp.RtpPacket;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.rtp.TelephoneEvent;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * The send side of an {@link RtpSession}: where to send (symmetric RTP: the address the receive side learns from the
 * peer's packets wins over the signalled one), what plays, the encoder, RFC 4733 digits, and one packet every 20 ms,
 * built into this sender's own buffers and handed to the kernel from the clock thread with a non-blocking send.
 *
 * <p>Threads: the clock thread sends; control commands (codec, play, digits) come from others. Both hold this
 * object's monitor; the addresses and the hold flag are volatile so the receive side's event loop sets them without it.
 */
final class RtpSender {

    // under the session's logger: one place to look for a session's send failures
    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);
    private static final int DTMF_END_PACKETS = 3;
    /** The largest payload sent: 20 ms of G.711 or G.722 are 160 bytes, Opus makes much less of it at its bit rate. */
    private static final int MAX_PAYLOAD = 640;
    /** Room for an SRTP authentication tag after the packet. */
    private static final int MAX_TAG = 10;

    private final DatagramChannel socket;
    private final MediaClock clock;
    private final RtpSession.Stats stats;
    private final long ssrc;
    private final ByteBuffer wire = ByteBuffer.allocateDirect(RtpPacket.HEADER_BYTES + MAX_PAYLOAD + MAX_TAG);
    private final byte[] tx = new byte[RtpPacket.HEADER_BYTES + MAX_PAYLOAD + MAX_TAG];
    private final byte[] encoded = new byte[MAX_PAYLOAD];
    private final Deque<Character> digitsToSend = new ArrayDeque<>();

    private volatile InetSocketAddress remote;
    private volatile boolean learned;
    private volatile boolean onHold;
    private volatile SrtpContext srtp;
    private volatile int eventPayloadType = 101;
    // guarded by this
    private Codec codec = G711.PCMU;
    private int payloadType = G711.PCMU.payloadType();
    private Codec.Encoder encoder = G711.PCMU.encoder();
    /** 20 ms at the codec's rate, what the encoder takes. */
    private short[] out = new short[Audio.frameLength(G711.PCMU.sampleRate())];
    /** RTP timestamp units in 20 ms: 160, or 960 for Opus's 48 kHz clock. */
    private int step = Audio.frameLength(G711.PCMU.clockRate());
    private AudioSource source;
    private Runnable sourceDone;
    private int dtmfDurationSamples = 800;
    private int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
    private long timestamp = ThreadLocalRandom.current().nextLong(1L << 32);
    private boolean firstPacket = true;
    private long lastSend;
    private long octetsSent;
    private char sendingDigit;
    private long digitTimestamp;
    private int digitElapsed;
    private int endPacketsLeft;
    private boolean closed;

    RtpSender(DatagramChannel socket, MediaClock clock, RtpSession.Stats stats, long ssrc) {
        this.socket = socket;
        this.clock = clock;
        this.stats = stats;
        this.ssrc = ssrc;
    }

    // ---- where to --------------------------------------------------------------------------------------------

    /** The signalled address, unless the peer's packets showed where it is. */
    void remote(InetSocketAddress address) {
        if (!learned) {
            remote = address;
        }
    }

    /** A new signalled address: used until the peer's packets show another. */
    void redirect(InetSocketAddress address) {
        learned = false;
        remote = address;
    }

    /** Where the peer's packets come from (event loop): replies go there. */
    void learn(InetSocketAddress sender) {
        if (!sender.equals(remote)) {
            remote = sender;
        }
        learned = true;
    }

    InetSocketAddress remote() {
        return remote;
    }

    void hold(boolean on) {
        onHold = on;
    }

    boolean onHold() {
        return onHold;
    }

    void secure(SrtpContext context) {
        srtp = context;
    }

    // ---- what -------------------------------------------------------------------------------------------------

    synchronized void codec(Codec next, int nextPayloadType, int telephoneEventPayloadType) {
        if (closed) {
            return;
        }
        if (next != codec || nextPayloadType != payloadType) {
            encoder.close();
            encoder = next.encoder();
        }
        codec = next;
        payloadType = nextPayloadType;
        step = Audio.frameLength(next.clockRate());
        if (out.length != Audio.frameLength(next.sampleRate())) {
            out = new short[Audio.frameLength(next.sampleRate())];
        }
        eventPayloadType = telephoneEventPayloadType;
    }

    /** Frees the encoder's state, at the session's end: nothing is sent after. */
    synchronized void close() {
        closed = true;
        encoder.close();
    }

    synchronized Codec codec() {
        return codec;
    }

    synchronized void play(AudioSource next, Runnable done) {
        source = Sources.atRate(next, codec.sampleRate());
        sourceDone = done;
    }

    synchronized void stop() {
        source = null;
        sourceDone = null;
    }

    synchronized void sendDtmf(String digits, int durationMs) {
        dtmfDurationSamples = Math.max(step, durationMs * step / 20);
        for (char d : digits.toCharArray()) {
            TelephoneEvent.eventOf(d); // refuses what is not a digit
            digitsToSend.add(d);
        }
    }

    /** What an RTCP sender report says of this side (clock thread): called with the figures under the monitor. */
    synchronized void report(Rtcp rtcp) {
        if (!onHold) {
            rtcp.report(remote, stats.sent.sum(), timestamp, octetsSent);
        }
    }

    // ---- one packet every 20 ms (clock thread) ----------------------------------------------------------------

    synchronized void send() {
        if (closed) {
            return;
        }
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
            n = Math.max(0, source.read(out, 0, out.length));
            if (n < out.length) {
                Runnable done = sourceDone;
                source = null;
                sourceDone = null;
                if (done != null) {
                    done.run();
                }
            }
        }
        java.util.Arrays.fill(out, n, out.length, (short) 0);
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
     * Sends one packet: written into this sender's own buffer and handed to the kernel with a non-blocking send
     * (nothing allocated: this runs for every channel every 20 ms). A full socket buffer drops it.
     */
    private void transmit(boolean marker, int type, long ts, byte[] payload, int length) {
        int counter = sequence++;
        InetSocketAddress to = remote;
        if (to == null || onHold || !socket.isOpen()) {
            return;
        }
        tx[0] = (byte) 0x80;
        tx[1] = (byte) ((marker ? 0x80 : 0) | type);
        tx[2] = (byte) (counter >> 8);
        tx[3] = (byte) counter;
        for (int i = 0; i < 4; i++) {
            tx[4 + i] = (byte) (ts >>> (24 - 8 * i));
            tx[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, tx, RtpPacket.HEADER_BYTES, length);
        int packetLength = RtpPacket.HEADER_BYTES + length;
        SrtpContext context = srtp;
        if (context != null) {
            packetLength = context.protect(tx, packetLength, counter >>> 16);
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
}
