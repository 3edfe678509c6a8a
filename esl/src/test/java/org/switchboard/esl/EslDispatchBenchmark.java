package org.switchboard.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.codec.EslFrameDecoderTest;
import org.switchboard.esl.event.EslEvent;

/**
 * Events per second decoded and dispatched to a listener (off the I/O thread, per channel in order) from a
 * recorded FreeSWITCH stream read in 16 KiB pieces. Not a test: {@code scripts/bench-esl} runs it beside
 * drachtio-modesl on the same stream. Usage:
 * {@code EslDispatchBenchmark <transcript> <rounds> <stream-out> [warm-up seconds] [count|all]}: the stream is fed
 * for the warm-up time first (JIT compilation and heap sizing are not measured; the Node side warms up as long),
 * then {@code rounds} times, timed until the listener has seen the last event. Feeding pauses (the feeding thread
 * parks, woken by the listener) while the listener is 10,000 events behind, until it is 5,000 behind, as a connection
 * with the default queue and PAUSE_READING stops and resumes reading. The listener either only counts
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
        long perRound = EslFrameDecoderTest.decode(stream, null).stream()
                .filter(f -> f.contentType().orElse("").startsWith("text/event-")).count();
        Progress progress = new Progress();
        AtomicLong sink = new AtomicLong();
        EslListener listener = readAll ? event -> {
            long n = event.body().length();
            for (EslEvent.Header h : event.headers()) {
                n += h.value().length();
            }
            sink.addAndGet(n);
            progress.delivered();
        } : event -> progress.delivered();
        OutboundSession session = new OutboundSession("bench", Duration.ofSeconds(10), Duration.ofSeconds(10), 1 << 30,
                SlowConsumerPolicy.DROP, listener, new EslMeters(org.switchboard.metrics.Meters.none()));
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(), session.new Handler());
        long fed = 0;
        long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        do {
            fed = feed(ch, progress, stream, perRound, fed, Math.max(1, rounds / 10));
        } while (System.nanoTime() < warmUpEnd);
        progress.await(fed);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long end = feed(ch, progress, stream, perRound, fed, rounds);
        double ioThreadCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        progress.await(end);
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = end - fed;
        System.out.printf("{\"events\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%d,\"eventsPerRound\":%d,\"listener\":\"%s\","
                + "\"ioThreadCpuSeconds\":%.3f}%n", events, seconds, Math.round(events / seconds), perRound, readAll ? "all" : "count",
                ioThreadCpu);
        ch.finishAndReleaseAll();
        session.close();
    }

    /**
     * Feeds the stream {@code rounds} times, {@code fed} events having been fed before; the number fed after. A connection
     * stops reading while its listeners are {@link EslClientConfig#DEFAULT_EVENT_QUEUE} events behind and reads again
     * at half of that (PAUSE_READING): so before each round this thread parks until the listener is close enough.
     */
    private static long feed(EmbeddedChannel ch, Progress progress, byte[] stream, long perRound, long fed, int rounds) {
        long n = fed;
        for (int r = 0; r < rounds; r++) {
            if (n - progress.count() >= EslClientConfig.DEFAULT_EVENT_QUEUE) {
                progress.await(n - EslClientConfig.DEFAULT_EVENT_QUEUE / 2);
            }
            for (int pos = 0; pos < stream.length; pos += CHUNK) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, pos, Math.min(CHUNK, stream.length - pos)));
            }
            n += perRound;
        }
        return n;
    }

    /** The events the listener has seen, and the one thread that waits for a count of them (parked, woken by the listener). */
    private static final class Progress {

        private static final long DEADLINE_NANOS = 60_000_000_000L;
        private final AtomicLong delivered = new AtomicLong();
        private volatile long wakeAt = Long.MAX_VALUE;
        private volatile Thread waiter;

        long count() {
            return delivered.get();
        }

        /** On a listener's thread, once per event. */
        void delivered() {
            if (delivered.incrementAndGet() >= wakeAt) {
                LockSupport.unpark(waiter);
            }
        }

        /** Parks until {@code n} events were delivered; throws after a minute (an event lost, or a listener stuck). */
        void await(long n) {
            waiter = Thread.currentThread();
            // set before the count is read again, as the listener increments before it reads this: one of them sees the other
            wakeAt = n;
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            try {
                while (delivered.get() < n) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(delivered.get() + " events delivered, " + n + " expected");
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                wakeAt = Long.MAX_VALUE;
            }
        }
    }
}
