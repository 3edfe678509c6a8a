package org.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.FrameResampler;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.session.RtpSession;
import org.switchboard.testkit.audio.Correlation;
import org.switchboard.testkit.audio.Energy;
import org.switchboard.testkit.audio.InbandDtmf;
import org.switchboard.testkit.audio.Tones;

/**
 * A call's {@link Ear}: keeps what the RTP session plays out (on the media clock thread; brought to 8 kHz, the rate
 * the checks analyse, when the codec is wideband) and the RFC 4733 digits, and checks assertions against copies of it
 * from the test's thread.
 */
final class Recorder implements Ear, RtpSession.Listener {

    /** A correlation is computed at most this often while waiting: it is the costliest check. */
    private static final long CORRELATION_STEP_MILLIS = 200;
    /** A file is compared in pieces of 200 ms, so that a packet lost or a frame the jitter buffer dropped costs one piece. */
    private static final int CORRELATION_PIECE = Tones.SAMPLE_RATE / 5;

    private final short[] audio;
    private final Supplier<String> ladder;
    private final String who;
    private int length;
    private long dropped;
    private final StringBuilder digits = new StringBuilder();
    private final FrameResampler narrow = new FrameResampler(Tones.SAMPLE_RATE);

    Recorder(Duration limit, String who, Supplier<String> ladder) {
        this.audio = new short[(int) (limit.toMillis() * 8)];
        this.who = who;
        this.ladder = ladder;
    }

    // ---- the clock thread ----------------------------------------------------------------------------------------

    @Override
    public synchronized void onAudio(short[] heardFrame) {
        short[] frame = narrow.convert(heardFrame);
        if (length + frame.length > audio.length) { // full: drop the older half
            int keep = length / 2;
            System.arraycopy(audio, length - keep, audio, 0, keep);
            dropped += length - keep;
            length = keep;
        }
        System.arraycopy(frame, 0, audio, length, frame.length);
        length += frame.length;
    }

    @Override
    public synchronized void onDigit(char digit, String how) {
        if (how.equals("rfc2833")) {
            digits.append(digit);
        }
    }

    // ---- the test's thread ---------------------------------------------------------------------------------------

    @Override
    public synchronized void clear() {
        length = 0;
        dropped = 0;
        digits.setLength(0);
    }

    @Override
    public synchronized Duration heard() {
        return Duration.ofMillis((length + dropped) / 8);
    }

    @Override
    public synchronized short[] samples() {
        return Arrays.copyOf(audio, length);
    }

    @Override
    public void save(Path wav) {
        try {
            Wav.write(wav, Audio.of(Tones.SAMPLE_RATE, 1, samples()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + wav, e);
        }
    }

    @Override
    public synchronized String digits() {
        return digits.toString();
    }

    @Override
    public void assertTone(double hz, Duration within) {
        await("a " + hz + " Hz tone", within, 0, s -> Tones.find(s, 0, s.length, hz) >= 0, s -> "");
    }

    @Override
    public void assertDigits(String expected, Duration within) {
        await("the RFC 4733 digits '" + expected + "'", within, 0, s -> digits().endsWith(expected), s -> "");
    }

    @Override
    public void assertInbandDigits(String expected, Duration within) {
        await("the in-band DTMF digits '" + expected + "'", within, 0,
                s -> InbandDtmf.detect(s, 0, s.length).endsWith(expected), s -> "");
    }

    @Override
    public void assertSpeech(Duration atLeast, Duration within) {
        await("speech-like energy for " + atLeast.toMillis() + " ms", within, 0,
                s -> Energy.longestActiveMillis(s, 0, s.length, Energy.ACTIVE_RMS) >= atLeast.toMillis(), s -> "");
    }

    @Override
    public void assertSilence(Duration atLeast, Duration within) {
        await("silence for the last " + atLeast.toMillis() + " ms", within, 0,
                s -> Energy.trailingQuietMillis(s, 0, s.length, Energy.ACTIVE_RMS) >= atLeast.toMillis(), s -> "");
    }

    @Override
    public void assertHeard(Path wav, Duration within) {
        assertHeard(wav, DEFAULT_MIN_CORRELATION, within);
    }

    @Override
    public void assertHeard(Path wav, double minCorrelation, Duration within) {
        short[] reference;
        try {
            reference = Wav.read(wav).toTelephony().samples();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + wav + " as WAV audio", e);
        }
        Correlation.Match[] best = {Correlation.Match.NONE};
        await("the audio of " + wav.getFileName() + " (correlation at least " + minCorrelation + ")", within,
                CORRELATION_STEP_MILLIS, s -> {
                    best[0] = Correlation.pieces(s, 0, s.length, reference, CORRELATION_PIECE);
                    return best[0].coefficient() >= minCorrelation;
                }, s -> String.format("best correlation %.3f (mean of 200 ms pieces)%s; ", best[0].coefficient(),
                        best[0].offset() < 0 ? " (less heard than the file's " + reference.length / 8 + " ms, or silence)"
                                : " at " + best[0].offset() / 8 + " ms"));
    }

    /**
     * Checks {@code holds} on what was heard until it is true or {@code within} has passed; then fails with what was
     * heard ({@code detail} first) and the ladder.
     */
    private void await(String expected, Duration within, long stepMillis, Predicate<short[]> holds,
                       Function<short[], String> detail) {
        long deadline = System.nanoTime() + within.toNanos();
        long nextCheck = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                short[] heard = samples();
                if (holds.test(heard)) {
                    return;
                }
                nextCheck = now + stepMillis * 1_000_000;
                if (now - deadline >= 0) {
                    throw new AssertionError(who + " did not hear " + expected + " within " + within.toMillis()
                            + " ms; heard instead: " + detail.apply(heard) + describe(heard) + "\n" + ladder.get());
                }
            }
            Deadlines.pause();
        }
    }

    /** What a stretch of audio holds, for failure messages. */
    String describe(short[] heard) {
        return heard.length / 8 + " ms of audio, strongest frequencies " + Tones.strongest(heard, 0, heard.length, 3)
                + " (last second), loudest 20 ms RMS " + Math.round(Energy.peakFrameRms(heard, 0, heard.length))
                + ", longest speech-like stretch " + Energy.longestActiveMillis(heard, 0, heard.length, Energy.ACTIVE_RMS)
                + " ms, silent for the last " + Energy.trailingQuietMillis(heard, 0, heard.length, Energy.ACTIVE_RMS)
                + " ms, RFC 4733 digits '" + digits() + "', in-band digits '" + InbandDtmf.detect(heard, 0, heard.length)
                + "'";
    }
}
