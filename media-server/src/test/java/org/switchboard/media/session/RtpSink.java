package org.switchboard.media.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.switchboard.media.codec.G711;

/**
 * {@code RtpSink <ports>}: the whole-server benchmark's receiver, in a process of its own so that the server's process
 * holds only its own sockets (4,000 channels and a socket per stream on the receiving side did not fit in 20,000 open
 * files). It binds {@code ports} loopback UDP ports, prints them on one line ({@code ports 40001,40002,...}), and reads
 * them all: many streams share a port (the benchmark points many calls' SDP at one), told apart by their SSRC, and for
 * each the |inter-arrival − 20 ms| is counted in 100 µs buckets. Commands on standard input, one a line: {@code reset}
 * (counts from zero; answers {@code {"cpuNanos":n}}) and {@code report} (answers one JSON line: packets, streams,
 * the non-zero buckets, this process's CPU). With {@code -Dbench.echo=true} every packet goes back to where it came
 * from, as a caller's phone would send its own audio: a G.711 packet with a 400 Hz tone as its payload (so a call
 * bridged to another leg carries sound both ways), any other as it came.
 *
 * <p>It never blocks in a receive and drains every socket each half millisecond: on loopback the sender's system call
 * delivers the packet and, when a thread waits on the socket, wakes it, which costs the sender; arrival times are
 * therefore known to about a millisecond only, and the server's own send-interval error is the figure that counts.
 */
public final class RtpSink {

    private static final int BUCKETS = 1001;
    private static final int TABLE = 1 << 15;
    private static final boolean ECHO = Boolean.getBoolean("bench.echo");

    private final DatagramChannel[] channels;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    // streams by SSRC, open addressing: key SSRC + 1 (0: free), the last arrival and the count of each
    private final long[] keys = new long[TABLE];
    private final long[] last = new long[TABLE];
    private final long[] histogram = new long[BUCKETS];
    private final byte[] tone = new byte[160];
    private long packets;
    private int streams;
    private volatile boolean resetAsked;
    private volatile boolean reportAsked;

    private RtpSink(int ports) throws IOException {
        channels = new DatagramChannel[ports];
        for (int i = 0; i < ports; i++) {
            DatagramChannel c = DatagramChannel.open();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            c.configureBlocking(false);
            channels[i] = c;
        }
        short[] samples = new short[160];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000)); // 8 whole cycles: seamless
        }
        G711.PCMU.encoder().encode(samples, tone);
    }

    public static void main(String[] args) throws Exception {
        RtpSink sink = new RtpSink(Integer.parseInt(args[0]));
        StringBuilder ports = new StringBuilder("ports ");
        for (DatagramChannel c : sink.channels) {
            ports.append(ports.length() > 6 ? "," : "").append(((InetSocketAddress) c.getLocalAddress()).getPort());
        }
        System.out.println(ports);
        System.out.flush();
        Thread commands = new Thread(() -> sink.commands(new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.US_ASCII))), "sink-commands");
        commands.setDaemon(true);
        commands.start();
        sink.run();
    }

    private void commands(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "reset" -> resetAsked = true;
                    case "report" -> reportAsked = true;
                    default -> System.err.println("unknown command " + line);
                }
            }
        } catch (IOException e) {
            // the benchmark went away
        }
        System.exit(0); // standard input closed: the benchmark is over
    }

    private void run() throws IOException {
        while (true) {
            if (resetAsked) {
                resetAsked = false;
                packets = 0;
                Arrays.fill(histogram, 0);
                Arrays.fill(last, 0);
                System.out.println("{\"cpuNanos\":" + cpuNanos() + "}");
                System.out.flush();
            }
            if (reportAsked) {
                reportAsked = false;
                report();
            }
            boolean any = false;
            for (DatagramChannel c : channels) {
                any |= drain(c);
            }
            if (!any) {
                LockSupport.parkNanos(500_000);
            }
        }
    }

    private boolean drain(DatagramChannel channel) throws IOException {
        boolean any = false;
        while (true) {
            buf.clear();
            SocketAddress from = channel.receive(buf);
            if (from == null) {
                return any;
            }
            any = true;
            long now = System.nanoTime();
            buf.flip();
            if (buf.remaining() < 12) {
                continue;
            }
            long ssrc = buf.getInt(8) & 0xFFFFFFFFL;
            int slot = slot(ssrc);
            packets++;
            if (last[slot] != 0) {
                long micros = Math.abs(now - last[slot] - MediaClock.TICK_NANOS) / 1000;
                histogram[(int) Math.min(BUCKETS - 1, micros / 100)]++;
            }
            last[slot] = now;
            if (ECHO) {
                int type = buf.get(1) & 0x7F;
                if ((type == 0) && buf.remaining() == 12 + tone.length) {
                    buf.put(12, tone); // a tone instead of what came: the call's other leg hears a sound
                }
                channel.send(buf, from);
            }
        }
    }

    private int slot(long ssrc) {
        long key = ssrc + 1;
        int i = (int) (ssrc * 0x9E3779B97F4A7C15L >>> 49) & (TABLE - 1);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                keys[i] = key;
                streams++;
                return i;
            }
            i = (i + 1) & (TABLE - 1);
        }
        return i;
    }

    private void report() {
        StringBuilder out = new StringBuilder("{\"packets\":").append(packets).append(",\"streams\":").append(streams)
                .append(",\"cpuNanos\":").append(cpuNanos()).append(",\"histogram\":{");
        boolean first = true;
        for (int i = 0; i < BUCKETS; i++) {
            if (histogram[i] != 0) {
                out.append(first ? "" : ",").append('"').append(i).append("\":").append(histogram[i]);
                first = false;
            }
        }
        System.out.println(out.append("}}"));
        System.out.flush();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
