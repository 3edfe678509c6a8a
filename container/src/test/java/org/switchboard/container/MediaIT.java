package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Media in a running container on its defaults (the embedded media server in-process): an application
 * connects a sipp caller to the media server and plays a prompt; the caller sends a digit. Checked: the answer is
 * the media server's SDP, the play ends, the digit reaches the endpoint's listener and the CDI observers, the
 * events reach the creating application only (a second application has a caller at the same time) and never on
 * an event loop, and after the caller's BYE the media
 * server has no channel within 1 s and no registry holds anything of the call.
 */
class MediaIT {

    @TempDir
    static Path dir;
    static int sipPort;
    static Container container;

    @BeforeAll
    static void start() throws Exception {
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        deployApps(deployments);
        sipPort = FreePorts.udp();
        container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "media.sounds", sounds(dir).toString(),
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())));
    }

    /** The media application (user media*) and one that creates nothing (user other*). */
    static void deployApps(Path deployments) throws Exception {
        Archives.jar(deployments.resolve("media.jar"), "org.switchboard.testapps.media", Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE\nrouting.user=media.*\n"));
        Archives.jar(deployments.resolve("other.jar"), "org.switchboard.testapps.mediaother", Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE\nrouting.user=other.*\n"));
    }

    /** A sound folder with a one-second tone, {@code prompt.wav}. */
    static Path sounds(Path parent) throws Exception {
        Path sounds = Files.createDirectories(parent.resolve("sounds"));
        short[] samples = new short[8000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
        }
        Wav.write(sounds.resolve("prompt.wav"), Audio.of(8000, 1, samples));
        return sounds;
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    /** What the test applications report is each test's own. */
    @BeforeEach
    void forgetReports() {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("media.") || k.startsWith("mediaother."))
                .forEach(System::clearProperty);
    }

    /** Nothing of the calls, the callers' nor the container's own to the media server, outlives them. */
    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        assertIdle(container);
    }

    static void assertIdle(Container container) throws InterruptedException {
        NoCallLeft.assertNoCallLeft(container);
    }

    /** One sipp caller of the media application, sending the digit 4. */
    static Sipp.Result call(int sipPort) throws Exception {
        return call(sipPort, "media-uac.xml", "media");
    }

    static Sipp.Result call(int sipPort, String scenarioFile, String user) throws Exception {
        return start(sipPort, scenarioFile, user).await();
    }

    /** One sipp caller of {@code user}, in the background. */
    static Sipp.Running start(int sipPort, String scenarioFile, String user) throws Exception {
        Path scenario = Path.of(MediaIT.class.getResource("/sipp/" + scenarioFile).toURI());
        return Sipp.scenario(scenario).target("127.0.0.1:" + sipPort).runIn(Interop.path("sipp"))
                .args("-i", "127.0.0.1", "-p", "0", "-s", user, "-m", "1").deadline(Duration.ofSeconds(30)).start();
    }

    /** The channels the media server has up, as {@code show channels} counts them. */
    static int channels(MediaServer server) throws Exception {
        String out = server.api("show channels").toCompletableFuture().get(5, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) total").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** After the caller's BYE (sipp has its 200), the media server has no channel within 1 s. */
    static void channelsEndWithinASecond(Container container) throws Exception {
        MediaServer server = container.mediaServers().get(0);
        long start = System.nanoTime();
        boolean none = Poll.until(Duration.ofSeconds(1), () -> {
            try {
                return channels(server) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(none).as("channels 1 s after the BYE: %d", channels(server)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1100));
    }

    static List<String> reported(String key) {
        String value = System.getProperty(key);
        return value == null ? List.of() : Arrays.asList(value.split(","));
    }

    @Test
    void aCallerIsConnectedToTheMediaServerItsEventsGoToTheCreatingApplicationAndItsChannelEndsWithTheCall() throws Exception {
        Sipp.Running other = start(sipPort, "media-uac.xml", "other"); // the second application's caller, at the same time
        Sipp.Result r = call(sipPort);
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        Sipp.Result o = other.await();
        assertThat(o.successfulCalls()).as(o.describe()).isEqualTo(1);
        channelsEndWithinASecond(container);

        assertThat(reported("media.answered")).containsExactly("true");
        assertThat(reported("media.default")).containsExactly(container.mediaServers().get(0).address());
        Poll.await(Duration.ofSeconds(5), "the play's outcome", () -> !reported("media.played").isEmpty());
        assertThat(reported("media.played")).containsExactly("ok");
        assertThat(reported("media.playback-stop")).singleElement().asString().endsWith("prompt.wav");
        assertThat(reported("media.listener-dtmf")).containsExactly("4");
        assertThat(reported("media.cdi-dtmf")).containsExactly("4");
        assertThat(reported("media.events")).contains("CHANNEL_EXECUTE_COMPLETE", "PLAYBACK_START", "PLAYBACK_STOP", "DTMF");
        assertThat(reported("media.threads")).isNotEmpty().noneMatch(t -> t.contains("FastThreadLocalThread")
                || t.toLowerCase(java.util.Locale.ROOT).contains("eventloop"));
        // each application observed the events of its own caller's channel and of no other
        assertThat(reported("media.uuid")).hasSize(1);
        assertThat(reported("mediaother.uuid")).hasSize(1).doesNotContainAnyElementsOf(reported("media.uuid"));
        assertThat(reported("media.event-uuids")).isNotEmpty().containsOnly(reported("media.uuid").get(0));
        assertThat(reported("mediaother.event-uuids")).isNotEmpty().containsOnly(reported("mediaother.uuid").get(0));
        assertThat(reported("mediaother.dtmf")).containsExactly("4");
        Poll.await(Duration.ofSeconds(5), "the second play's outcome", () -> !reported("mediaother.played").isEmpty());
        assertThat(reported("mediaother.played")).containsExactly("ok");
    }

    @Test
    void whenTheApplicationHangsUpTheEndpointAndTheConferenceItMadeForTheCallEndWithinASecond() throws Exception {
        Sipp.Result r = call(sipPort, "media-uac-hungup.xml", "media-conf");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        channelsEndWithinASecond(container);
        assertThat(reported("media.conference-joined")).containsExactly("true");
        Poll.await(Duration.ofSeconds(5), "the application's outcome", () -> !reported("media.conference").isEmpty());
        assertThat(reported("media.conference")).containsExactly("ok");
        String conferences = container.mediaServers().get(0).api("conference list").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(conferences).doesNotContain("room-");
    }

    @Test
    void anEndpointModifiedThroughTheContainersDialogHoldsAndResumesItsMedia() throws Exception {
        Sipp.Result r = call(sipPort, "media-uac-hungup.xml", "media-modify");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        channelsEndWithinASecond(container);
        Poll.await(Duration.ofSeconds(5), "the application's outcome", () -> !reported("media.modified").isEmpty());
        assertThat(reported("media.modified")).containsExactly("ok");
        assertThat(reported("media.held")).containsExactly("true");
        assertThat(reported("media.unheld")).containsExactly("true");
    }
}
