package org.switchboard.testkit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a call hears: the peer's audio decoded to 8 kHz linear samples, 20 ms at a time on the media clock (silence
 * while no packet comes), and the RFC 4733 digits it received. Every assertion waits up to its deadline for what it
 * expects in what was heard since the call began or since the last {@link #clear}; when it fails, its message says
 * what was heard instead (strongest frequencies, digits, loudness, best correlation) and shows the call's SIP ladder.
 * Thread-safe.
 */
public interface Ear {

    /** The correlation {@link #assertHeard(Path, Duration)} asks for: the same recording through G.711 and RTP. */
    double DEFAULT_MIN_CORRELATION = 0.8;

    /** Forgets what was heard (audio and digits); later assertions look at what comes after. */
    void clear();

    /** How much audio was heard since the last {@link #clear}, silence included. */
    Duration heard();

    /** A copy of the samples heard since the last {@link #clear} (the oldest are dropped beyond the phone's limit). */
    short[] samples();

    /** Writes what was heard to a WAV file (8 kHz, 16 bit, mono). */
    void save(Path wav);

    /** The RFC 4733 digits received since the last {@link #clear}, in order. */
    String digits();

    /** Waits until a tone of {@code hz} (within about 10 Hz) is heard for at least 100 ms. */
    void assertTone(double hz, Duration within);

    /** Waits until the RFC 4733 digits received end with {@code digits}. */
    void assertDigits(String digits, Duration within);

    /** Waits until the digits detected in the audio (DTMF tones, Goertzel) end with {@code digits}. */
    void assertInbandDigits(String digits, Duration within);

    /**
     * Waits until speech-like energy was heard for at least {@code atLeast}: 20 ms frames louder than about -40 dB
     * of full scale, pauses of up to 300 ms between them bridged.
     */
    void assertSpeech(Duration atLeast, Duration within);

    /** Waits until the last {@code atLeast} of what was heard is silent (every 20 ms frame quieter than -40 dB). */
    void assertSilence(Duration atLeast, Duration within);

    /** Waits until the audio of {@code wav} was heard: {@link #assertHeard(Path, double, Duration)} at 0.8. */
    void assertHeard(Path wav, Duration within);

    /**
     * Waits until what was heard contains the audio of {@code wav} (converted to 8 kHz mono) with a normalised
     * cross-correlation of at least {@code minCorrelation} (1 is the same waveform, at any volume): the mean over
     * 200 ms pieces of the file, each aligned on its own, so that a lost packet costs one piece, not the rest.
     */
    void assertHeard(Path wav, double minCorrelation, Duration within);
}
