package org.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.codec.Codecs;
import org.switchboard.media.sdp.Negotiation;
import org.switchboard.media.sdp.Sdp;
import org.switchboard.media.session.RtpSession;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;
import org.switchboard.testkit.audio.Tones;

/**
 * A call's media: the media server's {@link RtpSession} (G.711 out every 20 ms on the phone's media clock, RFC 4733
 * both ways, symmetric RTP) with a {@link Recorder} as its listener, and the SDP offer/answer of the media server's
 * {@link Negotiation}.
 */
final class CallMedia implements AutoCloseable {

    private static final int DIGIT_MILLIS = 100;
    private static final String TONE_LEVEL = "v=-10;";
    /** The phone speaks G.711 in plain RTP (it answers no SRTP offer: it has no keys to give). */
    private static final Negotiation G711 = new Negotiation(Codecs.parse("PCMU,PCMA"), false);

    private final RtpSession rtp;
    private final Recorder recorder;
    private final String address;
    private volatile CompletableFuture<Void> played = CompletableFuture.completedFuture(null);

    private CallMedia(RtpSession rtp, Recorder recorder, String address) {
        this.rtp = rtp;
        this.recorder = recorder;
        this.address = address;
    }

    static CallMedia open(Phone phone, Recorder recorder) {
        RtpSession rtp = RtpSession.open(phone.rtpGroup, phone.clock, phone.config.address(), phone.rtpPorts, recorder);
        return new CallMedia(rtp, recorder, phone.config.address().getHostAddress());
    }

    Recorder recorder() {
        return recorder;
    }

    /** An offer of PCMU, PCMA and telephone-event with {@code direction}. */
    String offer(Sdp.Direction direction) {
        String sendrecv = G711.offer(address, rtp.localPort());
        return sendrecv.replace("a=sendrecv\r\n", "a=" + direction.name().toLowerCase(java.util.Locale.ROOT) + "\r\n");
    }

    /** The answer to a peer's offer, applied to the session; empty when it offers no G.711 audio. */
    Optional<String> answer(String offer) {
        Optional<Negotiation.Result> agreed = parse(offer).flatMap(sdp -> G711.answer(sdp, address, rtp.localPort()))
                .filter(r -> r.srtp().isEmpty());
        agreed.ifPresent(this::apply);
        return agreed.map(Negotiation.Result::sdp);
    }

    /**
     * Applies the peer's answer to this side's offer. Read as an offer, it yields the codec, the telephone-event type
     * and the address; its direction seen from here is the answer to the peer's.
     */
    void applyAnswer(String answer) {
        parse(answer).flatMap(sdp -> G711.answer(sdp, address, rtp.localPort())).filter(r -> r.srtp().isEmpty())
                .ifPresent(this::apply);
    }

    private static Optional<Sdp> parse(String body) {
        try {
            return Optional.of(Sdp.parse(body));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void apply(Negotiation.Result agreed) {
        rtp.codec(agreed.codec(), agreed.payloadType(), agreed.telephoneEvent());
        agreed.remote().ifPresent(rtp::redirect);
        Sdp.Direction mine = agreed.direction();
        rtp.hold(agreed.remote().isEmpty() || !(mine == Sdp.Direction.SENDRECV || mine == Sdp.Direction.SENDONLY));
    }

    void play(Path wav) {
        try {
            play(Sources.of(Wav.read(wav)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + wav + " as WAV audio", e);
        }
    }

    void playTone(double hz, long millis) {
        play(stream("tone_stream://" + TONE_LEVEL + "%(" + millis + ",0," + hz + ")"));
    }

    void playSilence(long millis) {
        play(stream("silence_stream://" + millis));
    }

    void playInbandDigits(String digits) {
        StringBuilder spec = new StringBuilder("tone_stream://" + TONE_LEVEL);
        for (char d : digits.toCharArray()) {
            double[] f = org.switchboard.testkit.audio.InbandDtmf.frequencies(d);
            spec.append("%(").append(DIGIT_MILLIS).append(',').append(DIGIT_MILLIS).append(',')
                    .append(f[0]).append(',').append(f[1]).append(");");
        }
        play(stream(spec.toString()));
    }

    private static AudioSource stream(String spec) {
        try {
            return Sources.open(spec, Path.of("."), Tones.SAMPLE_RATE); // the session converts it to its codec's rate
        } catch (IOException e) {
            throw new UncheckedIOException(e); // streams read no file
        }
    }

    private void play(AudioSource source) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        played.complete(null); // replaced: whoever waited for the old one is done waiting
        played = done;
        rtp.play(source, () -> done.complete(null));
    }

    void stopPlaying() {
        rtp.stop();
        played.complete(null);
    }

    CompletableFuture<Void> played() {
        return played;
    }

    void sendDigits(String digits) {
        rtp.sendDtmf(digits, DIGIT_MILLIS);
    }

    InetSocketAddress localAddress() {
        return new InetSocketAddress(address, rtp.localPort());
    }

    @Override
    public void close() {
        rtp.close();
    }
}
