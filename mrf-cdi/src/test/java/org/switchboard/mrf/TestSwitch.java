package org.switchboard.mrf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.sip.media.MediaServer;

/**
 * The embedded media server on free ports with a 1 s prompt ({@code prompt.wav}) in its sound folder, the tests'
 * SIP side, and the framework connected to it.
 */
final class TestSwitch implements AutoCloseable {

    final Path folder;
    final org.switchboard.media.server.MediaServer server;
    final TestUac uac;
    final MediaServer media;

    private TestSwitch(Path folder, int rtpFirst) throws Exception {
        this.folder = folder;
        Files.createDirectories(folder.resolve("sounds"));
        short[] samples = new short[8000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
        }
        Wav.write(folder.resolve("sounds/prompt.wav"), Audio.of(8000, 1, samples));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        server = org.switchboard.media.server.MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(loopback, 0))
                .esl(new InetSocketAddress(loopback, 0))
                .rtpPorts(rtpFirst, rtpFirst + 999)
                .sounds(folder.resolve("sounds"))
                .recordings(folder.resolve("recordings"))
                .heartbeat(Duration.ofMillis(500))
                .maxSessions(50)
                .build());
        uac = new TestUac();
        media = connect(MrfConfig.DEFAULT_COMMAND_TIMEOUT);
    }

    static TestSwitch start(Path folder) throws Exception {
        return new TestSwitch(folder, 44000);
    }

    /** A second server beside the first, on RTP ports of its own from {@code rtpFirst}. */
    static TestSwitch start(Path folder, int rtpFirst) throws Exception {
        return new TestSwitch(folder, rtpFirst);
    }

    /** The framework connected once more, with another command deadline. */
    MediaServer connect(Duration commandTimeout) throws Exception {
        return Mrf.connect(MrfConfig.builder(server.eslAddress()).commandTimeout(commandTimeout).build(), uac)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    /** The failure of a stage, waiting at most {@code millis}. */
    static Throwable failureWithin(CompletionStage<?> stage, long millis) throws Exception {
        try {
            stage.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the stage completed normally");
    }

    @Override
    public void close() {
        media.close();
        uac.close();
        server.close();
    }
}
