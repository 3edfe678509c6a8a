package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.testing.baresip.Baresip;
import org.switchboard.testing.baresip.Heard;
import org.switchboard.testing.poll.Poll;

/**
 * The media samples served by a running container with its embedded media server (what {@code ./switchboard run}
 * starts with no configuration) to a real softphone: baresip, headless, one process per caller, whose microphone is a
 * tone of its own and whose ears are the WAV file it dumps. Skipped where baresip is not installed.
 */
@Timeout(150)
class SoftphoneSamplesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SLACK = Duration.ofSeconds(15);
    /** The notes of the conference sample's default hold music. */
    private static final double[] MUSIC = {523, 659, 784};
    private static final double BEEP = 1000;
    /** A tone at a quarter of full scale comes back near 4000; what is not there stays under 100. */
    private static final double HEARD = 1000;
    private static final double NOT_HEARD = 200;
    /** Speech at the prompts' level, measured over a second. */
    private static final double SPEECH_RMS = 300;
    private static final double QUIET_RMS = 100;

    @TempDir
    static Path dir;
    static int sipPort;
    static Container container;
    private final List<Baresip> phones = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Baresip.installed(), "baresip is not installed (Debian baresip-core): run scripts/install-test-peers");
        TestDeployments deployments = TestDeployments.in(dir);
        sipPort = deployments.sipPort();
        container = MediaSamples.start(deployments);
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        phones.forEach(Baresip::close);
        MediaSamples.assertNothingLeft(container);
    }

    @Test
    void ivrWelcomesTheSoftphoneCollectsItsDigitsRecordsItsMessageAndHangsUp() throws Exception {
        double message = 600;
        Baresip phone = phone("ivr", Baresip.phone(dir.resolve("ivr")).voice(message));
        phone.dial(uri("ivr"));
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        awaitWelcomeEnd(phone);

        phone.sendDigits("1357");
        // "You entered 1, 3, 5, 7. Please leave a message after the beep.", then the beep: the digits were collected
        await(phone, "the beep", () -> phone.heard().tone(BEEP) > HEARD);
        // the microphone's tone never falls silent: the recording runs to its 10 s limit, then is played back
        phone.awaitEvent("CALL_CLOSED", Duration.ofSeconds(60));
        assertThat(phone.heard().tone(message)).as("the message played back").isGreaterThan(HEARD);

        Path recording = recording("ivr-1357-");
        Heard recorded = Heard.read(recording);
        assertThat(recorded.millis()).as("recorded").isGreaterThan(5000);
        assertThat(recorded.tone(message)).as("the recorded message is the softphone's tone").isGreaterThan(HEARD);
    }

    @Test
    void conferenceCallersHearEachOtherNotThemselvesMusicWhileAloneAndNotAMutedCaller() throws Exception {
        double[] voices = {350, 1100, 1400}; // away from the music's notes
        List<Baresip> callers = new ArrayList<>();
        for (int i = 0; i < voices.length; i++) {
            Baresip caller = phone("conf-" + i, Baresip.phone(dir.resolve("conf-" + i)).user("caller" + i).voice(voices[i]));
            caller.dial(uri("conf-softphones"));
            caller.awaitEvent("CALL_ESTABLISHED", WAIT);
            callers.add(caller);
            if (i == 0) {
                Heard alone = caller.listen(Duration.ofSeconds(2), SLACK);
                assertThat(loudestOf(alone, MUSIC)).as("the first caller, alone, hears the music").isGreaterThan(HEARD);
                assertThat(alone.tone(voices[0])).as("not itself").isLessThan(NOT_HEARD);
            }
        }
        for (int i = 0; i < callers.size(); i++) {
            Baresip listener = callers.get(i);
            int me = i;
            await(listener, "caller " + i + " hears the two others", () -> {
                Heard last = lastSecond(listener);
                return last.tone(voices[(me + 1) % 3]) > HEARD && last.tone(voices[(me + 2) % 3]) > HEARD;
            });
            Heard heard = listener.listen(Duration.ofSeconds(1), SLACK);
            assertThat(heard.tone(voices[i])).as("caller %d does not hear itself", i).isLessThan(NOT_HEARD);
            assertThat(loudestOf(heard, MUSIC)).as("nor music, with company").isLessThan(NOT_HEARD);
        }

        Baresip muter = callers.get(0);
        muter.sendDigits("*6");
        for (Baresip listener : callers.subList(1, 3)) {
            await(listener, "the muted caller is no longer heard", () -> lastSecond(listener).tone(voices[0]) < NOT_HEARD);
        }
        Heard whileMuted = callers.get(1).listen(Duration.ofSeconds(2), SLACK);
        assertThat(whileMuted.tone(voices[0])).as("muted, not heard").isLessThan(NOT_HEARD);
        assertThat(whileMuted.tone(voices[2])).as("the third caller still is").isGreaterThan(HEARD);
        assertThat(muter.listen(Duration.ofSeconds(1), SLACK).tone(voices[1])).as("the muted caller still hears")
                .isGreaterThan(HEARD);

        muter.sendDigits("*6");
        await(callers.get(1), "the unmuted caller heard again", () -> lastSecond(callers.get(1)).tone(voices[0]) > HEARD);

        for (Baresip caller : callers) {
            caller.hangUp();
            caller.awaitEvent("CALL_CLOSED", WAIT);
        }
        assertThat(Poll.until(Duration.ofSeconds(10),
                () -> MediaSamples.api(container, "conference list").contains("No active conferences")))
                .as("the room closed with its last caller").isTrue();
    }

    @Test
    void anSrtpSoftphoneHearsTheIvrDecryptedAndItsDigitsAreDecrypted() throws Exception {
        Baresip phone = phone("srtp", Baresip.phone(dir.resolve("srtp")).encryption("srtp-mand"));
        phone.dial(uri("ivr"));
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        // baresip offers the suites AES_CM_128_HMAC_SHA1_80 first; the media server takes the first it can honour
        await(phone, "SRTP on", () -> phone.log().contains("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)"));
        awaitWelcomeEnd(phone);

        phone.sendDigits("2468");
        await(phone, "the beep, once the encrypted digits were collected", () -> phone.heard().tone(BEEP) > HEARD);
        await(phone, "the message's recording, named with the digits", () -> recordings("ivr-2468-").size() == 1);
        phone.hangUp();
        phone.awaitEvent("CALL_CLOSED", WAIT);
    }

    @Test
    void aG722OnlySoftphoneHearsTheHoldMusicAtItsPitch() {
        assertHearsTheMusicThrough("g722", "G722", 16000);
    }

    @Test
    void anOpusOnlySoftphoneHearsTheHoldMusicAtItsPitch() {
        assertHearsTheMusicThrough("opus", "opus", 48000);
    }

    /**
     * A caller offering only the codec of baresip's module {@code module} (named {@code codec} in baresip's log) is
     * alone in a room: it hears every note of the music at its pitch, decoded at {@code rate}, and not an octave off.
     */
    private void assertHearsTheMusicThrough(String module, String codec, int rate) {
        Baresip phone = phone(module, Baresip.phone(dir.resolve(module)).codecs(module));
        phone.dial(uri("conf-" + module));
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        await(phone, "the music", () -> loudestOf(lastSecond(phone), MUSIC) > HEARD); // once the room is made
        Heard heard = phone.listen(Duration.ofSeconds(3), SLACK); // more than one turn of the music (2.1 s)
        assertThat(phone.log()).as("the codec").contains("---> " + codec);
        assertThat(heard.sampleRate()).isEqualTo(rate);
        for (double note : MUSIC) {
            assertThat(heard.tone(note)).as("note %.0f Hz", note).isGreaterThan(HEARD);
        }
        // a rate mixed up on the way (8 kHz audio played at 16 kHz, or the reverse) moves the notes by octaves
        for (double off : new double[] {MUSIC[0] / 2, 2 * MUSIC[0], 2 * MUSIC[1], 2 * MUSIC[2]}) {
            assertThat(heard.tone(off)).as("off the music: %.0f Hz", off).isLessThan(NOT_HEARD);
        }
        phone.hangUp();
        phone.awaitEvent("CALL_CLOSED", WAIT);
    }

    // ---- the softphones -----------------------------------------------------------------------------------------

    /** Starts a phone that the test closes after it. */
    private Baresip phone(String name, Baresip.Builder builder) {
        Baresip phone = builder.start();
        phones.add(phone);
        return phone;
    }

    static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + sipPort;
    }

    /** Waits until the phone heard a spoken prompt and then a second of quiet: the IVR waits for digits. */
    static void awaitWelcomeEnd(Baresip phone) {
        await(phone, "the welcome prompt", () -> lastSecond(phone).rms() > SPEECH_RMS);
        await(phone, "the end of the welcome prompt", () -> lastSecond(phone).rms() < QUIET_RMS);
    }

    static void await(Baresip phone, String what, BooleanSupplier condition) {
        try {
            Poll.await(WAIT, what, condition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; heard " + phone.heard().millis() + " ms; baresip log:\n"
                    + phone.log(), e);
        }
    }

    static Heard lastSecond(Baresip phone) {
        Heard heard = phone.heard();
        return heard.millis() < 1000 ? new Heard(heard.sampleRate(), new short[0]) : heard.since(heard.millis() - 1000);
    }

    static double loudestOf(Heard heard, double[] freqs) {
        double max = 0;
        for (double f : freqs) {
            max = Math.max(max, heard.tone(f));
        }
        return max;
    }

    /** The one message the IVR recorded whose name starts with {@code prefix} (it names the digits collected). */
    private static Path recording(String prefix) {
        List<Path> found = recordings(prefix);
        assertThat(found).as("the message, named with the digits").hasSize(1);
        return found.get(0);
    }

    private static List<Path> recordings(String prefix) {
        Path folder = dir.resolve("work/recordings"); // the embedded media server's, made with its first recording
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
