package org.switchboard.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.codec.EslFrameDecoderTest;

/**
 * Events per second decoded and dispatched to a listener (off the I/O thread, per channel in order) from a
 * recorded FreeSWITCH stream read in 16 KiB pieces. Not a test: {@code scripts/bench-esl} runs it beside
 * drachtio-modesl on the same stream. Usage: {@code EslDispatchBenchmark <transcript> <rounds> <stream-out>}.
 */
public final class EslDispatchBenchmark {

    private static final int CHUNK = 16 * 1024;

    private EslDispatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String transcript = args[0];
        int rounds = Integer.parseInt(args[1]);
        byte[] stream = EslFrameDecoderTest.switchSide(transcript);
        Files.write(Path.of(args[2]), stream); // the same bytes for the Node side
        AtomicLong delivered = new AtomicLong();
        OutboundSession session = new OutboundSession("bench", Duration.ofSeconds(10), Duration.ofSeconds(10), 1 << 30,
                SlowConsumerPolicy.DROP, event -> delivered.incrementAndGet());
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(), session.new Handler());
        long perRound = run(ch, stream, 1, delivered);
        run(ch, stream, Math.max(1, rounds / 4), delivered); // warm-up
        delivered.set(0);
        long start = System.nanoTime();
        long events = run(ch, stream, rounds, delivered);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"events\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%d,\"eventsPerRound\":%d}%n",
                events, seconds, Math.round(events / seconds), perRound);
        ch.finishAndReleaseAll();
        session.close();
    }

    private static long run(EmbeddedChannel ch, byte[] stream, int rounds, AtomicLong delivered) throws InterruptedException {
        long before = delivered.get();
        long queued = 0;
        for (int r = 0; r < rounds; r++) {
            for (int pos = 0; pos < stream.length; pos += CHUNK) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, Math.min(CHUNK, stream.length - pos)));
            }
        }
        // wait for the listeners to have seen everything that was decoded
        long last = -1;
        while (delivered.get() != last) {
            last = delivered.get();
            Thread.sleep(20);
        }
        queued = delivered.get() - before;
        return queued;
    }
}
