package org.switchboard.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.codec.EslFrameDecoderTest;
import org.switchboard.esl.event.EslEvent;

/**
 * Events per second decoded and dispatched to a listener (off the I/O thread, per channel in order) from a
 * recorded FreeSWITCH stream read in 16 KiB pieces. Not a test: {@code scripts/bench-esl} runs it beside
 * drachtio-modesl on the same stream. Usage:
 * {@code EslDispatchBenchmark <transcript> <rounds> <stream-out> [warm-up seconds] [count|all]}: the stream is fed
 * for the warm-up time first (JIT compilation and heap sizing are not measured; the Node side warms up as long),
 * then {@code rounds} times, timed until the listener has seen the last event. Feeding pauses while the listener
 * is 10,000 events behind, as a connection with the default queue and PAUSE_READING stops reading. The listener either only counts
 * ({@code count}, the default: dispatch itself reads Event-Name and Unique-ID) or reads every header and the body
 * of every event ({@code all}: what modesl does for each event it emits).
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
        double warmUpSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        boolean readAll = args.length > 4 && args[4].equals("all");
        AtomicLong delivered = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        EslListener listener = readAll ? event -> {
            long n = event.body().length();
            for (EslEvent.Header h : event.headers()) {
                n += h.value().length();
            }
            sink.addAndGet(n);
            delivered.incrementAndGet();
        } : event -> delivered.incrementAndGet();
        OutboundSession session = new OutboundSession("bench", Duration.ofSeconds(10), Duration.ofSeconds(10), 1 << 30,
                SlowConsumerPolicy.DROP, listener, new EslMeters(org.switchboard.metrics.Meters.none()));
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(), session.new Handler());
        feed(ch, session, stream, 1);
        long perRound = awaitQuiet(delivered);
        long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        do {
            feed(ch, session, stream, Math.max(1, rounds / 10));
        } while (System.nanoTime() < warmUpEnd);
        awaitQuiet(delivered);
        delivered.set(0);
        long expected = perRound * rounds;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        feed(ch, session, stream, rounds);
        double ioThreadCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        while (delivered.get() < expected) {
            // a benchmark's clock, not a test's wait: a short park keeps the end time within 0.1 ms of the last event
            Thread.sleep(0, 100_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = delivered.get();
        System.out.printf("{\"events\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%d,\"eventsPerRound\":%d,\"listener\":\"%s\","
                + "\"ioThreadCpuSeconds\":%.3f}%n", events, seconds, Math.round(events / seconds), perRound, readAll ? "all" : "count",
                ioThreadCpu);
        ch.finishAndReleaseAll();
        session.close();
    }

    private static void feed(EmbeddedChannel ch, OutboundSession session, byte[] stream, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (int pos = 0; pos < stream.length; pos += CHUNK) {
                // a connection stops reading while the listeners are that far behind (PAUSE_READING, default queue)
                while (session.queuedEvents() >= EslClientConfig.DEFAULT_EVENT_QUEUE) {
                    Thread.yield();
                }
                ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, Math.min(CHUNK, stream.length - pos)));
            }
        }
    }

    /** Waits until no event has been delivered for 100 ms; the number delivered. */
    private static long awaitQuiet(AtomicLong delivered) throws InterruptedException {
        long last = -1;
        while (delivered.get() != last) {
            last = delivered.get();
            // a benchmark's settling: 100 ms without a delivery means the lanes are drained
            Thread.sleep(100);
        }
        return last;
    }
}
