package org.switchboard.media.session;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.switchboard.media.dtmf.Goertzel;

/** A test's RTP peer playing the caller: an {@link RtpSession} that keeps what it hears for the test to measure. */
public final class TestEar implements RtpSession.Listener, AutoCloseable {

    private final short[] audio;
    private final InetAddress address;
    private int length;
    /** The session: send tones and digits with it, read its port. Opened last: the clock may call onAudio at once. */
    public final RtpSession rtp;

    /** An ear on {@code address}, with a port from {@code ports}, keeping up to {@code seconds} of audio. */
    public TestEar(EventLoopGroup group, MediaClock clock, InetAddress address, PortRange ports, int seconds) {
        this.audio = new short[8000 * seconds];
        this.address = address;
        this.rtp = RtpSession.open(group, clock, address, ports, this);
    }

    @Override
    public synchronized void onAudio(short[] frame) {
        if (length + frame.length <= audio.length) {
            System.arraycopy(frame, 0, audio, length, frame.length);
            length += frame.length;
        }
    }

    /** Forgets what was heard. */
    public synchronized void clear() {
        length = 0;
    }

    /** The amplitude of {@code freq} Hz in what was heard. */
    public synchronized double amplitudeAt(double freq) {
        return Goertzel.amplitude(audio, 0, length, freq, 8000);
    }

    /** The root mean square of what was heard (speech is hundreds to thousands, silence 0). */
    public synchronized double rms() {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) audio[i] * audio[i];
        }
        return length == 0 ? 0 : Math.sqrt(sum / length);
    }

    /** Sends to {@code port} on the ear's own address. */
    public void sendTo(int port) {
        rtp.remote(new InetSocketAddress(address, port));
    }

    @Override
    public void close() {
        rtp.close();
    }
}
