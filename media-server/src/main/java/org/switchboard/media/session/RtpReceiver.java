package org.switchboard.media.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.FrameResampler;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.dtmf.DtmfDetector;
import org.switchboard.media.rtp.RtpPacket;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.rtp.TelephoneEvent;

/**
 * The receive side of an {@link RtpSession}: each datagram checked (SRTP), parsed, its source address given to the
 * send side (symmetric RTP), put into the {@link JitterBuffer}, and RFC 4733 digits reported; every 20 ms a frame
 * at the codec's rate played out to the listener, with in-band DTMF detection when no telephone-event payload type
 * was negotiated (on the audio brought to 8 kHz, the detector's rate, where the codec is wideband).
 *
 * <p>Threads: datagrams arrive on the RTP socket's event loop (one thread, so the read buffer is reused); frames are
 * played out on the clock thread; the jitter buffer is what they share.
 */
final class RtpReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);

    private final RtpSession.Stats stats;
    private final RtpSession.Listener listener;
    private final RtpSender sender;
    private final JitterBuffer jitter;
    private final DtmfDetector inband;
    private volatile SrtpContext srtp;
    private volatile int eventPayloadType = 101;
    // the event loop only
    private final byte[] rx = new byte[2048];
    private long lastEventTimestamp = -1;
    /** What the clock thread plays out into: 20 ms at the codec's rate, replaced when the codec changes. */
    private volatile short[] in = new short[Audio.frameLength(Audio.TELEPHONY_RATE)];
    // the clock thread only: a wideband frame brought to the detector's 8 kHz
    private final FrameResampler toDetector = new FrameResampler(Audio.TELEPHONY_RATE);

    RtpReceiver(RtpSession.Stats stats, RtpSession.Listener listener, RtpSender sender) {
        this.stats = stats;
        this.listener = listener;
        this.sender = sender;
        this.jitter = new JitterBuffer(stats);
        this.inband = new DtmfDetector(d -> listener.onDigit(d, "inband"));
    }

    /**
     * A new codec's decoder for its payload type (null: the codec did not change), and the telephone-event payload
     * type (-1: none).
     */
    void codec(int payloadType, Codec.Decoder decoder, int rate, int telephoneEventPayloadType) {
        if (decoder != null) {
            jitter.decoder(payloadType, decoder, rate);
            in = new short[Audio.frameLength(rate)];
        }
        eventPayloadType = telephoneEventPayloadType;
    }

    /** Frees the decoder's state, at the session's end. */
    void close() {
        jitter.close();
    }

    void secure(SrtpContext context) {
        srtp = context;
    }

    boolean secure() {
        return srtp != null;
    }

    /** One datagram on the RTP port (event loop). */
    void receive(DatagramPacket datagram) {
        ByteBuf content = datagram.content();
        int length = Math.min(content.readableBytes(), rx.length);
        content.getBytes(content.readerIndex(), rx, 0, length);
        SrtpContext context = srtp;
        if (context != null && (length = context.unprotect(rx, length)) < 0) {
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
        sender.learn(datagram.sender());
        int payloadType = RtpPacket.payloadType(rx, 0);
        int events = eventPayloadType;
        boolean event = payloadType == events || (events < 0 && payloadType == 101);
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

    /** One frame to the listener (clock thread). */
    void playOut() {
        short[] frame = in;
        jitter.read(frame);
        if (eventPayloadType < 0) {
            short[] narrow = toDetector.convert(frame);
            inband.process(narrow, 0, narrow.length);
        }
        listener.onAudio(frame);
    }
}
