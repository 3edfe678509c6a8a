package org.switchboard.media.session;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.testing.poll.Poll;

/** A test's RTP peer playing the caller: an {@link RtpSession} that keeps what it hears for the test to measure. */
public final class TestEar implements RtpSession.Listener, AutoCloseable {

    /** What an ear heard last, in ms (ten frames), to see that a change reached it. */
    public static final long RECENT_MILLIS = 200;
    /** Beyond what is waited for: how much later than the media clock a loaded machine may run the test. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final short[] audio;
    private final InetAddress address;
    private int length;
    /** The rate of what was kept: the codec's, read from the frames' length (a change of rate starts afresh). */
    private int rate = 8000;
    private long heardFrames;
    /** The session: send tones and digits with it, read its port. Opened last: the clock may call onAudio at once. */
    public final RtpSession rtp;

    /** An ear on {@code address}, with a port from {@code ports}, keeping up to {@code seconds} of audio. */
    public TestEar(EventLoopGroup group, MediaClock clock, InetAddress address, PortRange ports, int seconds) {
        this.audio = new short[48000 * seconds];
        this.address = address;
        this.rtp = RtpSession.open(group, clock, address, ports, this);
    }

    @Override
    public synchronized void onAudio(short[] frame) {
        if (frame.length * 50 != rate) {
            rate = frame.length * 50;
            length = 0;
        }
        if (length + frame.length <= audio.length) {
            System.arraycopy(frame, 0, audio, length, frame.length);
            length += frame.length;
        }
        heardFrames++;
    }

    /** Forgets what was heard. */
    public synchronized void clear() {
        length = 0;
        heardFrames = 0;
    }

    /** The amplitude of {@code freq} Hz in what was heard. */
    public synchronized double amplitudeAt(double freq) {
        return Goertzel.amplitude(audio, 0, length, freq, rate);
    }

    /**
     * The highest amplitude of {@code freq} Hz in any 100 ms of what was kept: a tone heard at some point, however
     * much silence a loaded machine let the ear keep around it (over all of it, the tone would be diluted).
     */
    public synchronized double peakAmplitudeAt(double freq) {
        int window = rate / 10;
        double peak = 0;
        for (int from = 0; from + window <= length; from += window / 2) {
            peak = Math.max(peak, Goertzel.amplitude(audio, from, from + window, freq, rate));
        }
        return peak;
    }

    /**
     * The best signal-to-noise ratio, in dB, of a {@code freq} Hz tone over any 100 ms of what was kept: the power
     * of the sine that fits best against what is left when it is taken away (noise, distortion, anything else heard).
     */
    public synchronized double snrAt(double freq) {
        int window = rate / 10;
        double best = Double.NEGATIVE_INFINITY;
        for (int from = 0; from + window <= length; from += window / 2) {
            double sin = 0;
            double cos = 0;
            for (int i = from; i < from + window; i++) {
                double w = 2 * Math.PI * freq * i / rate;
                sin += audio[i] * Math.sin(w);
                cos += audio[i] * Math.cos(w);
            }
            double a = 2 * sin / window;
            double b = 2 * cos / window;
            double signal = 0;
            double noise = 0;
            for (int i = from; i < from + window; i++) {
                double w = 2 * Math.PI * freq * i / rate;
                double fit = a * Math.sin(w) + b * Math.cos(w);
                signal += fit * fit;
                noise += (audio[i] - fit) * (audio[i] - fit);
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(noise, 1e-9)));
        }
        return best;
    }

    /**
     * The amplitude of {@code freq} Hz in the last {@code millis} ms kept: what was heard last, as long as the ear was
     * cleared less than its capacity ago. NaN (no comparison holds) until that much was kept.
     */
    public synchronized double amplitudeAt(double freq, long millis) {
        int n = (int) (millis * rate / 1000);
        return n > length ? Double.NaN : Goertzel.amplitude(audio, length - n, length, freq, rate);
    }

    /** How much was heard since the last {@link #clear}, in ms of the clock (silence included; past capacity too). */
    public synchronized long heardMillis() {
        return heardFrames * 20;
    }

    /**
     * Forgets what was heard and waits until {@code millis} ms have been heard: a window on the media clock from
     * this point, however late the test thread runs.
     */
    public void listenAfresh(long millis) throws InterruptedException {
        clear();
        listenMore(millis);
    }

    /** Waits until {@code millis} ms more have been heard than now. */
    public void listenMore(long millis) throws InterruptedException {
        long from = heardMillis();
        Poll.await(SLACK.plusMillis(millis), millis + " ms more heard after " + from + " ms",
                () -> heardMillis() >= from + millis);
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
