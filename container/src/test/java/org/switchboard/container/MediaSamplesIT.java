package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The media samples deployed in a running container with its embedded media server, driven by sipp callers that
 * play RTP captures: the IVR (four RFC 4733 digits, a message of recorded speech) and a conference room (callers
 * whose voices are tones of their own; what each one hears is recorded on the media server, in stereo, with
 * {@code uuid_record}, and the side sent to the caller is measured per frequency).
 */
class MediaSamplesIT {

    private static final double MUTER_VOICE = 440;
    private static final double OTHER_VOICE = 1200;
    /** The notes of the conference sample's default hold music. */
    private static final double[] MUSIC = {523, 659, 784};
    private static final double HEARD = 1000;
    private static final double NOT_HEARD = 200;

    @TempDir
    static Path dir;
    static Path recordings;
    static int sipPort;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        TestDeployments deployments = TestDeployments.in(dir);
        recordings = dir.resolve("work/recordings"); // the embedded media server's recordings folder
        sipPort = deployments.sipPort();
        container = MediaSamples.start(deployments);
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    /** Nothing of a test's calls outlives them: no call in the container, the client or the server, no media channel. */
    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        MediaSamples.assertNothingLeft(container);
    }

    @Test
    void ivrCollectsTheDigitsRecordsTheMessageAndSendsTheDigitsInItsBye() throws Exception {
        Sipp.Result r = Sipp.scenario(resource("ivr-caller.xml")).runIn(Interop.path("sipp"))
                .target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-mp", Integer.toString(FreePorts.udp()), "-s", "ivr", "-m", "1")
                .deadline(Duration.ofSeconds(90)).run();
        // the scenario fails unless the IVR's BYE carries X-Digits: 1357
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);

        List<Path> messages;
        try (Stream<Path> files = Files.list(recordings)) {
            messages = files.filter(f -> f.getFileName().toString().matches("ivr-1357-.*\\.wav")).toList();
        }
        assertThat(messages).as("the message, named with the digits").hasSize(1);
        Audio message = Wav.read(messages.get(0));
        assertThat(message.millis()).as("recorded").isGreaterThan(1000);
        assertThat(rms(message.samples(), 0, message.samples().length)).as("RMS of the recorded speech").isGreaterThan(100);
    }

    @Test
    void conferenceCallersHearEachOtherNotThemselvesMusicWhileAloneAndNotAMutedCaller() throws Exception {
        Sipp.Running muter = caller("conf-muting-caller.xml", MUTER_VOICE, 25);
        List<String[]> members = awaitMembers("demo", 1);
        String a = members.get(0)[2];
        assertThat(ear(a, 1500)).as("the first caller, alone, hears the music, not itself").satisfies(ear -> {
            assertThat(loudestOf(ear, MUSIC)).isGreaterThan(HEARD);
            assertThat(peak(ear, MUTER_VOICE)).isLessThan(NOT_HEARD);
        });

        Sipp.Running other = caller("conf-caller.xml", OTHER_VOICE, 30);
        String b = awaitMembers("demo", 2).get(1)[2];
        short[] earA = ear(a, 2000);
        short[] earB = ear(b, 2000);
        assertThat(speaks(a)).as("the first caller is still unmuted (else it pressed *6 before this was measured)").isTrue();
        assertThat(amplitude(earA, OTHER_VOICE)).as("the first caller hears the second").isGreaterThan(HEARD);
        // the music stops once the second caller's add-member event got to the application: give it 400 ms
        assertThat(loudestOf(Arrays.copyOfRange(earA, 3200, earA.length), MUSIC)).as("and no more music")
                .isLessThan(NOT_HEARD);
        assertThat(peak(earA, MUTER_VOICE)).as("nor itself").isLessThan(NOT_HEARD);
        assertThat(amplitude(earB, MUTER_VOICE)).as("the second caller hears the first").isGreaterThan(HEARD);
        assertThat(peak(earB, OTHER_VOICE)).as("not itself").isLessThan(NOT_HEARD);

        // at 12 s the first caller presses *6
        assertThat(Poll.until(Duration.ofSeconds(20), () -> !speaks(a))).as("muted by *6").isTrue();
        earA = ear(a, 2000);
        earB = ear(b, 2000);
        assertThat(speaks(a)).as("still muted while measured").isFalse();
        assertThat(peak(earB, MUTER_VOICE)).as("the muted caller is not heard").isLessThan(NOT_HEARD);
        assertThat(amplitude(earA, OTHER_VOICE)).as("the muted caller still hears").isGreaterThan(HEARD);

        // at 19 s *6 again
        assertThat(Poll.until(Duration.ofSeconds(15), () -> speaks(a))).as("unmuted by the second *6").isTrue();
        assertThat(amplitude(ear(b, 1500), MUTER_VOICE)).as("heard again").isGreaterThan(HEARD);

        // at 25 s the first caller hangs up: the room outlives it, and the second caller, alone now, hears music
        Sipp.Result r1 = muter.await();
        assertThat(r1.successfulCalls()).as(r1.describe()).isEqualTo(1);
        awaitMembers("demo", 1);
        assertThat(loudestOf(ear(b, 1500), MUSIC)).as("music for the caller left alone").isGreaterThan(HEARD);
        Sipp.Result r2 = other.await();
        assertThat(r2.successfulCalls()).as(r2.describe()).isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> api("conference list").contains("No active conferences")))
                .as("the room closed with its last caller").isTrue();
    }

    // ---- callers ------------------------------------------------------------------------------------------------

    /** A sipp caller of room {@code demo} whose voice is {@code freq} Hz, in a folder of its own. */
    private static Sipp.Running caller(String scenario, double freq, int seconds) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("caller-" + (int) freq + "/pcap"));
        for (String dtmf : List.of("dtmf_2833_star.pcap", "dtmf_2833_6.pcap")) {
            Files.copy(Interop.path("sipp/pcap/" + dtmf), folder.resolve(dtmf));
        }
        TonePcap.write(folder.resolveSibling("voice.pcap"), freq, seconds);
        return Sipp.scenario(resource(scenario)).runIn(folder.getParent()).target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-mp", Integer.toString(FreePorts.udp()), "-s", "conf-demo", "-m", "1")
                .deadline(Duration.ofSeconds(60)).start();
    }

    // ---- the media server's view --------------------------------------------------------------------------------

    private static String api(String command) {
        return MediaSamples.api(container, command);
    }

    /** The room's callers ({@code id;name;uuid;...;flags;...}), the control leg left out, once there are {@code n}. */
    private static List<String[]> awaitMembers(String room, int n) throws Exception {
        assertThat(Poll.until(Duration.ofSeconds(20), () -> callers(room).size() == n)).as("%d callers in %s", n, room)
                .isTrue();
        return callers(room);
    }

    private static List<String[]> callers(String room) {
        String list;
        try {
            list = api("conference " + room + " list");
        } catch (IllegalStateException e) {
            return List.of(); // not made yet
        }
        // the control leg joined first, muted
        return list.lines().filter(l -> l.contains(";")).map(l -> l.split(";")).skip(1).toList();
    }

    private static boolean speaks(String uuid) {
        return callers("demo").stream().filter(m -> m[2].equals(uuid)).anyMatch(m -> m[5].contains("speak"));
    }

    private static long packetsSentTo(String uuid) {
        api("uuid_set_media_stats " + uuid);
        return Long.parseLong(api("uuid_getvar " + uuid + " rtp_audio_out_packet_count").strip());
    }

    /** What the media server sent to channel {@code uuid} for {@code millis}: the right side of a stereo recording. */
    private static short[] ear(String uuid, long millis) throws Exception {
        Path file = dir.resolve("ear-" + uuid + "-" + System.nanoTime() + ".wav");
        api("uuid_setvar " + uuid + " RECORD_STEREO true");
        long from = packetsSentTo(uuid);
        api("uuid_record " + uuid + " start " + file);
        // the window is measured in the media server's packets to the channel, 20 ms each, not in wall-clock time
        long until = from + millis / 20;
        assertThat(Poll.until(Duration.ofMillis(millis).plusSeconds(10), () -> packetsSentTo(uuid) >= until))
                .as("%d ms of audio sent to %s", millis, uuid).isTrue();
        api("uuid_record " + uuid + " stop " + file);
        Audio[] read = new Audio[1];
        assertThat(Poll.until(Duration.ofSeconds(5), () -> {
            try {
                read[0] = Wav.read(file);
                return read[0].frames() > 0;
            } catch (IOException e) {
                return false;
            }
        })).as("recording %s", file).isTrue();
        assertThat(read[0].channels()).isEqualTo(2);
        short[] right = new short[read[0].frames()];
        for (int i = 0; i < right.length; i++) {
            right[i] = read[0].sample(i, 1);
        }
        return right;
    }

    // ---- measures -----------------------------------------------------------------------------------------------

    /** How strongly a steady tone of {@code freq} sounds over the whole of {@code samples}. */
    private static double amplitude(short[] samples, double freq) {
        return Goertzel.amplitude(samples, 0, samples.length, freq, 8000);
    }

    /** How strongly {@code freq} sounds in the loudest 200 ms of {@code samples}. */
    private static double peak(short[] samples, double freq) {
        double max = 0;
        for (int from = 0; from + 1600 <= samples.length; from += 1600) {
            max = Math.max(max, Goertzel.amplitude(samples, from, from + 1600, freq, 8000));
        }
        return max;
    }

    private static double loudestOf(short[] samples, double[] freqs) {
        double max = 0;
        for (double f : freqs) {
            max = Math.max(max, peak(samples, f));
        }
        return max;
    }

    private static double rms(short[] samples, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    static Path resource(String name) throws Exception {
        return Path.of(MediaSamplesIT.class.getResource("/sipp/" + name).toURI());
    }
}
