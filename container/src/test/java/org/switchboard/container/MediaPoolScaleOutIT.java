package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.server.MediaServerMain;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The media pool spread over two media servers, each {@code ./switchboard media-server} in a JVM of its own (SIP and
 * event socket on loopback, free ports, a HEARTBEAT a second), used by a container with {@code media.mode=external}
 * and an application that plays a prompt to each sipp caller (the {@code mediapool} test application): the
 * endpoints spread over both; a server drained with SIGTERM takes no new calls while its own finish (0 failed);
 * a server killed with {@code kill -9} under 50 calls loses only those, whose callers the container hangs up at
 * once, and the pool goes on with the survivor, then with both once the killed one is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MediaPoolScaleOutIT {

    private static final String PASSWORD = "pool-secret";
    private static final Pattern SINCE_STARTUP = Pattern.compile("(\\d+) session\\(s\\) since startup");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) total\\.");
    /** The held calls' prompt: longer than the kill and its checks take. */
    private static final int HOLD_SECONDS = 20;

    @TempDir
    Path dir;
    Path sounds;
    int sipPort;
    final List<Server> servers = new ArrayList<>();
    Container container;

    /** A media server process and the ports it keeps across a restart. */
    final class Server implements AutoCloseable {
        final String name;
        final int sip;
        final int esl;
        final String rtp;
        LoggedProcess process;

        Server(String name, String rtp) throws IOException {
            this.name = name;
            this.sip = FreePorts.udp();
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.esl = s.getLocalPort();
            }
            this.rtp = rtp;
        }

        /** Starts it, as {@code ./switchboard media-server} would, and waits for its start-up line. */
        Server start() throws Exception {
            Path home = Files.createDirectories(dir.resolve(name));
            Path log = Files.createTempFile(home, "run-", ".log"); // a new one for each start
            String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                    + Files.readString(Path.of("target/classpath.txt")).trim();
            process = LoggedProcess.start(name, new ProcessBuilder(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Dlogback.configurationFile=" + Path.of("../config/logback.xml").toAbsolutePath(),
                    "-cp", classPath, MediaServerMain.class.getName(),
                    "--sip", "127.0.0.1:" + sip, "--esl", "127.0.0.1:" + esl, "--password", PASSWORD,
                    "--rtp-ports", rtp, "--sounds", sounds.toString(), "--recordings", home.resolve("recordings").toString(),
                    "--heartbeat", "1", "--grace", "60"), log);
            Poll.await(Duration.ofSeconds(30), name + " started",
                    () -> process.log().contains("media server: SIP") || !process.isAlive());
            assertThat(process.isAlive()).as("%s: %s", name, process.log()).isTrue();
            return this;
        }

        String socket() {
            return "127.0.0.1:" + esl + ":" + PASSWORD;
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.kill();
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        sounds = MediaIT.sounds(dir);
        short[] hold = new short[8000 * HOLD_SECONDS];
        for (int i = 0; i < hold.length; i++) {
            hold[i] = (short) (4000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        Wav.write(sounds.resolve("hold.wav"), Audio.of(8000, 1, hold));
        servers.add(new Server("ms-a", "31000-31999").start());
        servers.add(new Server("ms-b", "32000-32767").start());
        Path deployments = Files.createDirectories(dir.resolve("deployments"));
        Archives.jar(deployments.resolve("pooled.jar"), "org.switchboard.testapps.mediapool", Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE\nrouting.user=(prompt|hold)\n"));
    }

    /** The container, with the media servers' command deadline {@code deadline} seconds. */
    private void startContainer(int deadline) throws Exception {
        Path deployments = dir.resolve("deployments");
        sipPort = FreePorts.udp();
        container = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=udp",
                "media.mode", "external",
                "media.servers", servers.get(0).socket() + "," + servers.get(1).socket(),
                "media.deadline", Integer.toString(deadline),
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString())));
        assertThat(Poll.until(Duration.ofSeconds(20), () -> container.deployer().deployments().size() == 1)).isTrue();
        // a few calls on each server first: on a loaded machine the first calls of fresh JVMs take seconds each
        Sipp.Result warm = callers("prompt", 4, 2).run();
        assertThat(warm.successfulCalls()).as(warm.describe()).isEqualTo(4);
        assertThat(sinceStartup(0)).as("warm-up calls on a").isPositive();
        assertThat(sinceStartup(1)).as("warm-up calls on b").isPositive();
        NoCallLeft.assertNoCallLeft(container);
        Stream.of("playing", "failed", "refused").forEach(k -> System.clearProperty("mediapool." + k));
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
        for (Server s : servers) {
            s.close();
        }
    }

    @Test
    void endpointsSpreadOverBothServers() throws Exception {
        startContainer(20);
        int a0 = sinceStartup(0);
        int b0 = sinceStartup(1);
        Sipp.Result r = callers("prompt", 40, 20).run();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(40);
        assertThat(r.failedCalls()).isZero();
        int a = sinceStartup(0) - a0;
        int b = sinceStartup(1) - b0;
        assertThat(a + b).as("calls on a: %d, on b: %d", a, b).isEqualTo(40);
        assertThat(a).as("calls on a (b: %d)", b).isBetween(15, 25);
        noCallLeft();
    }

    @Test
    void aDrainedServerTakesNoNewCallsAndFinishesItsOwnWhileTheOtherTakesThem() throws Exception {
        startContainer(20);
        Sipp.Running calls = callers("prompt", 60, 10).start();
        Poll.await(Duration.ofSeconds(30), "calls on both servers", () -> channels(0) > 0 && channels(1) > 0);
        int bBefore = sinceStartup(1);
        Server a = servers.get(0);
        a.process.terminate();
        Sipp.Result r = calls.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(60);
        assertThat(r.failedCalls()).isZero();
        assertThat(System.getProperty("mediapool.refused")).as("callers the pool could not serve").isNull();
        assertThat(a.process.awaitExit(15_000)).as("a exits once its calls are done").isTrue();
        String log = a.process.log();
        assertThat(log).as("a's calls ended on their own, within its grace").doesNotContain("MS-002");
        long refused = log.lines().filter(l -> l.contains("MS-SIP-008")).count();
        // the first refusal (or a's HEARTBEAT saying "System Not Ready") makes the pool prefer b; the INVITEs sent to
        // a before it came back are refused too (answers take seconds on a loaded machine)
        assertThat(refused).as("new calls a refused while draining: %s", log).isLessThanOrEqualTo(10);
        assertThat(sinceStartup(1)).as("b took the calls after the drain").isGreaterThan(bBefore);
        noCallLeft();
    }

    /** About a minute on a quiet machine; the timeout leaves room for a loaded one (two JVM starts, 300 calls). */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledServerLosesOnlyItsCallsWhichEndAtOnceAndThePoolGoesOnWithoutItThenWithIt() throws Exception {
        startContainer(HOLD_SECONDS + 20); // a play may not outlast the deadline
        Sipp.Running held = callers("hold", 50, 25).start();
        Poll.await(Duration.ofSeconds(40), "50 calls up, each playing", () -> reported("playing").size() == 50);
        assertThat(channels(0) + channels(1)).isEqualTo(50);
        int onA = channels(0);
        assertThat(onA).as("calls held on a").isBetween(1, 49);
        servers.get(0).process.kill();

        // a's endpoints' plays fail at once, and the container hangs up their callers
        Poll.await(Duration.ofSeconds(10), "a's plays failed", () -> reported("failed").size() >= onA);
        assertThat(reported("failed")).hasSize(onA).containsOnly("ConnectionLost");
        Poll.await(Duration.ofSeconds(10), "a's callers hung up", () -> callersUp() == 50 - onA);
        Poll.await(Duration.ofSeconds(10), "the pool sees a down", () -> !container.mediaServers().get(0).isConnected());

        int bBefore = sinceStartup(1);
        Sipp.Result next = callers("prompt", 100, 25).run();
        assertThat(next.successfulCalls()).as(next.describe()).isEqualTo(100);
        assertThat(sinceStartup(1) - bBefore).as("all on the survivor").isEqualTo(100);

        servers.get(0).start();
        // the event socket client reconnects with back-off (250 ms doubling, up to 30 s)
        Poll.await(Duration.ofSeconds(40), "the pool reconnected to a", () -> container.mediaServers().get(0).isConnected());
        bBefore = sinceStartup(1);
        Sipp.Result after = callers("prompt", 100, 25).run();
        assertThat(after.successfulCalls()).as(after.describe()).isEqualTo(100);
        int a = sinceStartup(0);
        assertThat(a + sinceStartup(1) - bBefore).isEqualTo(100);
        assertThat(a).as("the restarted server takes calls again").isGreaterThan(20);

        Sipp.Result r = held.await();
        assertThat(r.successfulCalls()).as("held calls, a's hung up by the container: %s", r.describe()).isEqualTo(50);
        assertThat(System.getProperty("mediapool.refused")).isNull();
        noCallLeft();
    }

    /**
     * Slow peers, both real: a media server stopped with SIGSTOP (its event socket connection stays up but nothing
     * reads or answers it) and, on the other server, an inbound event socket connection subscribed to every event
     * that never reads. The stopped server's command fails at its deadline, the pool stops choosing it once it
     * missed three HEARTBEATs, and the other server's calls go on unhindered; once continued it takes calls again.
     */
    @Test
    void aStalledServerAndAnUnreadEventSocketHoldUpNoOtherCall() throws Exception {
        int deadline = 8;
        startContainer(deadline);
        Server a = servers.get(0);
        Server b = servers.get(1);
        try (java.net.Socket unread = new java.net.Socket(InetAddress.getLoopbackAddress(), b.esl)) {
            unread.setReceiveBufferSize(4096);
            unread.getOutputStream().write(("auth " + PASSWORD + "\n\nevent plain ALL\n\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            a.process.signal("STOP");
            try {
                MediaServer stopped = container.mediaServers().get(0);
                long start = System.nanoTime();
                java.util.concurrent.CompletableFuture<String> status = stopped.api("status").toCompletableFuture();
                Poll.await(Duration.ofSeconds(10), "a is no longer ready (3 HEARTBEATs missed)", () -> !stopped.isReady());
                assertThat(stopped.isConnected()).as("its connection is up").isTrue();

                int b0 = sinceStartup(1);
                Sipp.Result r = callers("prompt", 40, 20).run();
                assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(40);
                assertThat(r.failedCalls()).isZero();
                assertThat(sinceStartup(1) - b0).as("all on b").isEqualTo(40);

                assertThat(Poll.until(Duration.ofSeconds(deadline + 15), status::isDone)).as("a's command ended").isTrue();
                assertThat(status).isCompletedExceptionally();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at its deadline")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(deadline));
            } finally {
                a.process.signal("CONT");
            }
            Poll.await(Duration.ofSeconds(10), "a is ready again", () -> container.mediaServers().get(0).isReady());
            Sipp.Result r = callers("prompt", 20, 20).run();
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(20);
            assertThat(sinceStartup(0)).as("a takes calls again").isGreaterThan(0);
        }
        noCallLeft();
    }

    /** {@code calls} sipp callers of {@code user} at {@code rate} a second, each answering the application's BYE. */
    private Sipp callers(String user, int calls, int rate) throws IOException {
        return Sipp.scenario(Path.of("../scripts/bench-ivr-uac.xml").toAbsolutePath()).runIn(Interop.path("sipp"))
                .target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-mp", Integer.toString(FreePorts.udp()), "-s", user,
                        "-r", Integer.toString(rate), "-m", Integer.toString(calls), "-l", Integer.toString(calls))
                .deadline(Duration.ofSeconds(HOLD_SECONDS + 40));
    }

    /** What the application reported under {@code key}. */
    private static List<String> reported(String key) {
        String v = System.getProperty("mediapool." + key);
        return v == null ? List.of() : List.of(v.split(","));
    }

    /** The callers' calls the container has in progress (not its own calls to media servers). */
    private int callersUp() {
        return (int) container.sip().callsInProgress().stream().filter(c -> c.application().startsWith("pooled")).count();
    }

    /** The calls server {@code i} took since it started, as its {@code status} counts them. */
    private int sinceStartup(int i) {
        return count(SINCE_STARTUP, api(i, "status"));
    }

    /** The channels server {@code i} has up, as its {@code show channels} counts them. */
    private int channels(int i) {
        return count(TOTAL, api(i, "show channels"));
    }

    private String api(int i, String command) {
        MediaServer server = container.mediaServers().get(i);
        try {
            return server.api(command).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(server.address() + ": " + command, e);
        }
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** No call left in the container, and no channel on a server that runs. */
    private void noCallLeft() throws Exception {
        NoCallLeft.assertNoCallLeft(container);
        for (int i = 0; i < servers.size(); i++) {
            int server = i;
            if (servers.get(i).process.isAlive()) {
                assertThat(Poll.until(Duration.ofSeconds(5), () -> channels(server) == 0))
                        .as("channels on %s: %s", servers.get(i).name, api(i, "show channels")).isTrue();
            }
        }
    }
}
