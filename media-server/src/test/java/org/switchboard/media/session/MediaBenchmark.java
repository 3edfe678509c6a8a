package org.switchboard.media.session;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.codec.G711;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * {@code MediaBenchmark <channels> <seconds>}: that many RTP sessions each play a WAV file (looped) on the shared
 * clock to a receiving socket of its own in this process. Prints one JSON line: packets, the percentiles of the send-interval
 * error (|time between two sends of a stream - 20 ms|, taken as each packet is written to its socket), the same
 * measured on arrival by the receiving thread (which adds that thread's own scheduling delays), the clock's own
 * lateness, and the CPU the process used (sessions, event loops and the receiver together). Run by
 * {@code scripts/bench-media}.
 */
public final class MediaBenchmark {

    private MediaBenchmark() {
    }

    public static void main(String[] args) {
        runOrExit(MediaBenchmark::run, args);
    }

    /** A benchmark's body. */
    interface Body {
        void run(String[] args) throws Exception;
    }

    /** Runs {@code body}; a failure exits with status 1 (the server's threads would keep a failed run alive). */
    static void runOrExit(Body body, String[] args) {
        try {
            body.run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    /** The media clock's real-time priority: the server's default, or {@code -Dbench.clockPriority} (0: none). */
    static int clockPriority() {
        return Integer.getInteger("bench.clockPriority", MediaServerConfig.DEFAULT_CLOCK_PRIORITY);
    }

    /** Writes the prompt both benchmarks play: a 440 Hz tone of {@code -Dbench.promptSeconds} (default 5) seconds. */
    static void writePrompt(Path file) throws IOException {
        short[] tone = new short[8000 * Integer.getInteger("bench.promptSeconds", 5)];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000));
        }
        Wav.write(file, Audio.of(8000, 1, tone));
    }

    private static void run(String[] args) throws Exception {
        int channels = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path prompt = Files.createTempFile("prompt", ".wav");
        writePrompt(prompt);
        // read once, as a prompt cache would: sources restart from memory, nothing touches the disk on the clock thread
        Audio audio = Wav.read(prompt).toTelephony();

        Receiver receiver = new Receiver();
        Thread rx = new Thread(receiver, "bench-receiver");
        rx.setDaemon(true);
        rx.start();

        // one event loop per core: each channel's packets are written by its loop, so two cores share the work
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                NioIoHandler.newFactory());
        MediaClock clock = MediaClock.start(clockPriority(), MediaMeters.none(), Integer.getInteger("bench.clockThreads", 1));
        PortRange ports = new PortRange(20000, 20000 + 2 * channels + 200);
        List<RtpSession> sessions = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            RtpSession s = RtpSession.open(group, clock, InetAddress.getLoopbackAddress(), ports, new RtpSession.Listener() { });
            s.codec(G711.PCMU, 101);
            DatagramChannel ear = receiver.open();
            ear.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.localPort()));
            s.remote((InetSocketAddress) ear.getLocalAddress());
            loop(s, audio);
            sessions.add(s);
        }
        Thread.sleep(3000); // a benchmark's warm-up: JIT, socket buffers
        Window w = Window.measure(seconds, receiver, clock::sendIntervalErrorHistogram);
        long[] send = w.send();
        long[] errors = w.arrival();
        double wall = w.wall();
        double cores = w.cores();
        System.out.printf("{\"channels\":%d,\"seconds\":%.1f,\"packets\":%d,\"packetsPerSecond\":%.0f,"
                        + "\"sendIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f},"
                        + "\"arrivalIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                        + "\"clockLatenessUs\":{\"p50\":%d,\"p99\":%d},\"cpuCores\":%.2f,\"receiverCores\":%.2f,\"receiverAllocatedMBps\":%.1f}%n",
                channels, wall, receiver.packets, receiver.packets / wall, bucket(send, 0.5), bucket(send, 0.99),
                bucket(send, 0.999), bucket(errors, 0.5), bucket(errors, 0.99), bucket(errors, 0.999),
                bucket(errors, 1.0), clock.latenessMicros(0.5), clock.latenessMicros(0.99), cores, w.receiverCores(), w.receiverMBps());
        sessions.forEach(RtpSession::close);
        clock.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Files.deleteIfExists(prompt);
        System.exit(0);
    }

    private static void loop(RtpSession session, Audio audio) {
        AudioSource source = Sources.of(audio);
        session.play(source, () -> loop(session, audio));
    }

    /**
     * One measured window: {@code seconds} after resetting the receiver, with the send-interval histogram's growth
     * over it, the receiver's arrival histogram, the wall time and the process's CPU in cores.
     */
    record Window(long[] send, long[] arrival, double wall, double cores, double receiverCores, double receiverMBps) {

        static Window measure(int seconds, Receiver receiver, java.util.function.Supplier<long[]> sendHistogram)
                throws InterruptedException {
            receiver.reset();
            long[] before = sendHistogram.get();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long allocated0 = receiver.allocatedBytes();
            long receiverCpu0 = receiver.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measured window
            long cpu = os.getProcessCpuTime() - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            long[] arrival = receiver.snapshot();
            long[] send = sendHistogram.get();
            for (int i = 0; i < send.length; i++) {
                send[i] -= before[i];
            }
            return new Window(send, arrival, wall, cpu / 1e9 / wall, (receiver.cpuNanos() - receiverCpu0) / 1e9 / wall,
                    (receiver.allocatedBytes() - allocated0) / 1e6 / wall);
        }
    }

    /** The quantile of a 100 µs-bucket histogram, in ms (upper edge of the bucket). */
    static double bucket(long[] histogram, double quantile) {
        long total = java.util.Arrays.stream(histogram).sum();
        long target = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= target) {
                return (i + 1) / 10.0;
            }
        }
        return Double.NaN;
    }

    /**
     * Receives every stream on a socket of its own, connected to the stream's sender once that is known, and
     * drains them all every millisecond, counting |inter-arrival - 20 ms| per stream in 100 µs buckets. Nothing is
     * allocated per packet (a connected socket is read without building a sender address, and the selector hands
     * ready sockets to a callback instead of a set): the benchmark's own garbage would otherwise be collected while
     * it measures, on the cores the server runs on. It never blocks in a receive: on loopback the sender's system
     * call delivers the packet itself and, when a thread waits on the socket, wakes it, which a profile of the
     * clock thread showed to be a quarter of its time; a remote peer costs the sender nothing of the kind. So
     * arrival times are known to about a millisecond only, and the send-interval error, taken by the sender, is
     * the figure that counts. With {@code -Dbench.echo=true} each packet is sent back as it is read, as a caller's
     * phone would send its own audio.
     */
    static final class Receiver implements Runnable {
        private static final long DRAIN_NANOS = 1_000_000;
        /** {@code -Dbench.echo=true}: every packet goes back to its sender, so the server receives as much as it sends. */
        private static final boolean ECHO = Boolean.getBoolean("bench.echo");
        private final Selector selector;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        private final long[] histogram = new long[1001];
        private volatile Thread thread;
        volatile long packets;

        Receiver() throws IOException {
            selector = Selector.open();
        }

        /** A socket for one stream, bound on loopback: its address goes into the stream's SDP. */
        DatagramChannel open() throws IOException {
            DatagramChannel channel = DatagramChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new long[1]);
            return channel;
        }

        synchronized void reset() {
            packets = 0;
            java.util.Arrays.fill(histogram, 0);
            selector.keys().forEach(k -> ((long[]) k.attachment())[0] = 0);
        }

        synchronized long[] snapshot() {
            return histogram.clone();
        }

        /** Bytes the receiving thread has allocated so far (the benchmark's own garbage, not the server's). */
        long allocatedBytes() {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Thread t = thread;
            return t == null ? 0 : threads.getThreadAllocatedBytes(t.getId());
        }

        /** CPU time the receiving thread has used so far, in nanoseconds. */
        long cpuNanos() {
            Thread t = thread;
            return t == null ? 0 : ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            try {
                while (selector.isOpen()) {
                    selector.selectNow(this::drain);
                    java.util.concurrent.locks.LockSupport.parkNanos(DRAIN_NANOS);
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed
            }
        }

        private void drain(SelectionKey key) {
            DatagramChannel channel = (DatagramChannel) key.channel();
            long[] last = (long[]) key.attachment();
            try {
                while (true) {
                    buf.clear();
                    if (!channel.isConnected()) {
                        if (channel.receive(buf) == null) { // before the stream's sender is known: set-up only
                            return;
                        }
                        continue;
                    }
                    if (channel.read(buf) <= 0) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (ECHO) {
                        channel.write(buf.flip());
                    }
                    synchronized (this) {
                        packets++;
                        if (last[0] != 0) {
                            long micros = Math.abs(now - last[0] - MediaClock.TICK_NANOS) / 1000;
                            histogram[(int) Math.min(1000, micros / 100)]++;
                        }
                        last[0] = now;
                    }
                }
            } catch (IOException e) {
                key.cancel();
            }
        }
    }
}
