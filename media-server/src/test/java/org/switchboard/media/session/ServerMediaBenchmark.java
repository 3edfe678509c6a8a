package org.switchboard.media.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.ExecuteOptions;
import org.switchboard.esl.OutboundSession;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;

/**
 * {@code ServerMediaBenchmark <calls> <seconds>}: the whole media server as the MRF uses it. That many SIP calls
 * (INVITE with {@code User-Agent: drachtio-fsmrf:<id>} and {@code X-esl-outbound}) are answered, each opens its
 * outbound event socket to a controller here, which executes {@code playback} of a WAV file (5 s, or
 * {@code -Dbench.promptSeconds}) looped forever. The calls' SDP point at an {@link RtpSink} in another process (so
 * this process holds only the server's sockets, the controller's and the SIP client's), on a few ports that many
 * calls share ({@code -Dbench.sinkPorts}, default 16). Prints one JSON line: the server's own send-interval error
 * percentiles over the window and the packets it sent in it against those due, what the sink received, the
 * packets the server's sessions sent and received over the calls' lives, and the CPU of this process (server,
 * controller and SIP client), of the media clock's threads in it (per packet too) and of the sink apart. Run by {@code scripts/bench-media --server}.
 *
 * <p>{@code -Dbench.bridge=opus}: two-way calls with transcoding instead. Each of the {@code calls} is two legs, one
 * offering PCMU only and one Opus only ({@code opus/48000/2}), bridged by the controller ({@code uuid_bridge}) once
 * both are connected; the sink sends every packet back (a 400 Hz tone in place of each PCMU payload), so each leg
 * receives 50 packets a second and the server decodes, converts between 8 and 48 kHz and encodes both ways.
 * {@code -Dbench.echo=true} without a bridge: playback calls that also receive what they send.
 */
public final class ServerMediaBenchmark {

    private static final boolean BRIDGED = "opus".equals(System.getProperty("bench.bridge", ""));
    private static final Duration API_DEADLINE = Duration.ofSeconds(30);

    private ServerMediaBenchmark() {
    }

    public static void main(String[] args) {
        MediaBenchmark.runOrExit(ServerMediaBenchmark::run, args);
    }

    private static void run(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int legs = BRIDGED ? 2 * calls : calls;
        int clockThreads = Integer.getInteger("bench.clockThreads", MediaServerConfig.DEFAULT_CLOCK_THREADS);
        Path sounds = Files.createTempDirectory("bench-sounds");
        MediaBenchmark.writePrompt(sounds.resolve("prompt.wav"));
        InetAddress loopback = InetAddress.getLoopbackAddress();

        try (Sink sink = Sink.start(Math.min(legs, Integer.getInteger("bench.sinkPorts", 16)),
                BRIDGED || Boolean.getBoolean("bench.echo"))) {
            MediaServer server = MediaServer.start(MediaServerConfig.builder()
                    .sip(new InetSocketAddress(loopback, 0)).esl(new InetSocketAddress(loopback, 0))
                    .rtpPorts(20000, Math.min(65534, 20000 + 4 * legs + 200)).sounds(sounds).maxSessions(legs)
                    .clockPriority(MediaBenchmark.clockPriority())
                    .clockThreads(clockThreads)
                    .build());
            AtomicInteger ready = new AtomicInteger();
            List<OutboundSession> sessions = new CopyOnWriteArrayList<>();
            Map<String, OutboundSession> waitingForPartner = new ConcurrentHashMap<>();
            EslOutboundServer controller = EslOutboundServer.start(new InetSocketAddress(loopback, 0),
                    EslClientConfig.builder().commandTimeout(API_DEADLINE).build(), s -> e -> { }, s -> {
                        sessions.add(s);
                        if (!BRIDGED) {
                            s.execute(s.uuid(), "playback", "prompt.wav", ExecuteOptions.DEFAULT.withLoops(-1));
                            ready.incrementAndGet();
                            return;
                        }
                        // bench-<i> and bench-<i>-opus are one call's legs: whichever connects second bridges them
                        String call = s.channelData().header("variable_sip_call_id").orElseThrow().replace("-opus", "");
                        OutboundSession partner = waitingForPartner.putIfAbsent(call, s);
                        if (partner != null) {
                            s.api("uuid_bridge " + partner.uuid() + " " + s.uuid()).thenAccept(reply -> {
                                if (reply.startsWith("+OK")) {
                                    ready.addAndGet(2);
                                } else {
                                    System.err.println("uuid_bridge of " + call + ": " + reply.strip());
                                }
                            });
                        }
                    });

            // a SIP client on one socket: INVITE each leg, ACK each 200
            DatagramSocket sip = new DatagramSocket(0, loopback);
            // room for a burst of 200s (a loaded machine reads late): a 200 dropped here is retransmitted, but one
            // whose every retransmission is dropped ends with the server's BYE 32 s later, in the measured window
            sip.setReceiveBufferSize(4 << 20);
            CountDownLatch answered = new CountDownLatch(legs);
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(100);
            Map<String, Boolean> acked = new ConcurrentHashMap<>();
            Thread sipReader = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!sip.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        sip.receive(p);
                        SipMessage m = SipMessage.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                        if (m instanceof SipResponse r && r.status() == 200 && r.cseq().method().equals("INVITE")) {
                            String callId = r.callId().orElseThrow();
                            send(sip, server.sipAddress(), request("ACK", callId, r.to().tag().orElseThrow(), sip,
                                    server, 0, 0, false));
                            if (acked.putIfAbsent(callId, true) == null) {
                                answered.countDown();
                                inFlight.release();
                            }
                        }
                    } catch (Exception e) {
                        if (sip.isClosed()) {
                            return;
                        }
                    }
                }
            }, "bench-sip");
            sipReader.setDaemon(true);
            sipReader.start();
            // at most 200 legs/s, paced at absolute times so that one late leg does not slow the rest
            long pace = TimeUnit.MILLISECONDS.toNanos(5);
            long nextLeg = System.nanoTime();
            for (int i = 0; i < legs; i++) {
                java.util.concurrent.locks.LockSupport.parkNanos(nextLeg - System.nanoTime());
                nextLeg += pace;
                if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("100 INVITEs unanswered for 60 s");
                }
                boolean opus = BRIDGED && i % 2 == 1;
                String callId = "bench-" + (BRIDGED ? i / 2 : i) + (opus ? "-opus" : "");
                send(sip, server.sipAddress(), request("INVITE", callId, null, sip, server, sink.port(i),
                        controller.address().getPort(), opus));
            }
            System.err.printf("%tT %d legs invited%n", System.currentTimeMillis(), legs);
            if (!answered.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (legs - answered.getCount()) + " of " + legs + " legs answered");
            }
            org.switchboard.testing.poll.Poll.await(Duration.ofSeconds(120), "every leg playing or bridged",
                    () -> ready.get() >= legs);
            System.err.printf("%tT every leg %s%n", System.currentTimeMillis(), BRIDGED ? "bridged" : "playing");
            Thread.sleep(3000); // a benchmark's warm-up: JIT, socket buffers

            // the measured window
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long sinkCpu0 = sink.reset();
            long[] before = server.sendIntervalErrorHistogram();
            long cpu0 = os.getProcessCpuTime();
            long clockCpu0 = clockCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu = os.getProcessCpuTime() - cpu0;
            long clockCpu = clockCpuNanos() - clockCpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            long[] sent = server.sendIntervalErrorHistogram();
            Sink.Report received = sink.report();
            for (int i = 0; i < sent.length; i++) {
                sent[i] -= before[i];
            }
            long intervals = java.util.Arrays.stream(sent).sum();
            double due = legs * wall * 1000.0 / 20;

            // what the server's sessions counted over the calls' lives (uuid_set_media_stats, as an MRF would ask)
            long[] counts = new long[3];
            List<CompletableFuture<Void>> asked = new ArrayList<>();
            for (OutboundSession s : sessions) {
                asked.add(s.api("uuid_set_media_stats " + s.uuid())
                        .thenCompose(x -> s.api("uuid_getvar " + s.uuid() + " rtp_audio_in_packet_count"))
                        .thenCombine(s.api("uuid_getvar " + s.uuid() + " rtp_audio_out_packet_count"), (in, out) -> {
                            synchronized (counts) {
                                counts[0] += Long.parseLong(in.trim());
                                counts[1] += Long.parseLong(out.trim());
                            }
                            return (Void) null;
                        }).exceptionally(e -> {
                            synchronized (counts) {
                                counts[2]++; // the call ended before the count (its socket closed): reported, not fatal
                            }
                            return null;
                        }));
            }
            CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            System.out.printf(java.util.Locale.ROOT, "{\"calls\":%d,\"legs\":%d,\"mode\":\"%s\",\"clockThreads\":%d,"
                            + "\"channelsUp\":%d,\"seconds\":%.1f,"
                            + "\"sentInWindow\":%d,\"dueInWindow\":%.0f,\"sentPercent\":%.1f,"
                            + "\"sendIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                            + "\"sinkPackets\":%d,\"sinkStreams\":%d,"
                            + "\"arrivalIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                            + "\"serverProcessCores\":%.2f,\"clockCores\":%.2f,\"clockMicrosPerPacket\":%.2f,\"sinkCores\":%.2f,"
                            + "\"serverPacketsOut\":%d,\"serverPacketsIn\":%d,\"callsEndedEarly\":%d,\"load\":\"%s\"}%n",
                    calls, legs, BRIDGED ? "bridged PCMU-Opus, echo" : Boolean.getBoolean("bench.echo") ? "playback, echo"
                            : "playback", clockThreads,
                    server.channelCount(), wall, intervals, due, 100.0 * intervals / due,
                    MediaBenchmark.bucket(sent, 0.5), MediaBenchmark.bucket(sent, 0.99),
                    MediaBenchmark.bucket(sent, 0.999), MediaBenchmark.bucket(sent, 1.0),
                    received.packets(), received.streams(),
                    MediaBenchmark.bucket(received.histogram(), 0.5), MediaBenchmark.bucket(received.histogram(), 0.99),
                    MediaBenchmark.bucket(received.histogram(), 0.999), MediaBenchmark.bucket(received.histogram(), 1.0),
                    cpu / 1e9 / wall, clockCpu / 1e9 / wall, clockCpu / 1e3 / Math.max(1, intervals),
                    (received.cpuNanos() - sinkCpu0) / 1e9 / wall, counts[1], counts[0], counts[2],
                    Files.readString(Path.of("/proc/loadavg")).strip());
            sip.close();
            controller.close();
            int up = server.channelCount();
            long closing = System.nanoTime();
            server.close();
            System.err.printf("%tT server closed in %d ms, %d channels hung up%n", System.currentTimeMillis(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing), up);
        }
        System.exit(0);
    }

    /** CPU time of the media clock's threads so far (the packets' cost: reading, encoding and the send calls). */
    private static long clockCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("media-clock")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    private static String request(String method, String callId, String toTag, DatagramSocket sip, MediaServer server,
                                  int rtp, int eslPort, boolean opus) throws Exception {
        String sdp = "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + (opus ? "m=audio " + rtp + " RTP/AVP 111 101\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n"
                        : "m=audio " + rtp + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n")
                + "a=rtpmap:101 telephone-event/8000\r\n";
        boolean invite = method.equals("INVITE");
        String body = invite ? sdp : "";
        return method + " sip:drachtio@127.0.0.1:" + server.sipAddress().getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + sip.getLocalPort() + ";branch=z9hG4bK" + method + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:bench@127.0.0.1>;tag=b-" + callId + "\r\n"
                + "To: <sip:drachtio@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 " + method + "\r\n"
                + "Contact: <sip:bench@127.0.0.1:" + sip.getLocalPort() + ">\r\n"
                + (invite ? "User-Agent: drachtio-fsmrf:" + callId + "\r\nX-esl-outbound: 127.0.0.1:" + eslPort + "\r\n"
                + "Content-Type: application/sdp\r\n" : "")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void send(DatagramSocket sip, InetSocketAddress to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sip.send(new DatagramPacket(b, b.length, to));
    }

    /** The {@link RtpSink} process: started with this JVM's class path, told what to do on its standard input. */
    private static final class Sink implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final java.io.Writer in;
        private final int[] ports;

        /** What the sink received since its last reset. */
        record Report(long packets, long streams, long cpuNanos, long[] histogram) {
        }

        private Sink(Process process) throws IOException {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            String line = out.readLine();
            if (line == null || !line.startsWith("ports ")) {
                throw new IllegalStateException("the RTP sink did not start: " + line);
            }
            ports = java.util.Arrays.stream(line.substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
        }

        static Sink start(int ports, boolean echo) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return new Sink(new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "-Dbench.echo=" + echo,
                    "-cp", System.getProperty("java.class.path"), RtpSink.class.getName(), Integer.toString(ports))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** The sink port the {@code i}th leg's SDP names. */
        int port(int i) {
            return ports[i % ports.length];
        }

        /** Counts from zero; returns the sink's CPU time so far. */
        long reset() throws IOException {
            return ask("reset").get("cpuNanos").asLong();
        }

        Report report() throws IOException {
            JsonNode r = ask("report");
            long[] histogram = new long[1001];
            r.get("histogram").fields().forEachRemaining(e -> histogram[Integer.parseInt(e.getKey())] = e.getValue().asLong());
            return new Report(r.get("packets").asLong(), r.get("streams").asLong(), r.get("cpuNanos").asLong(), histogram);
        }

        private JsonNode ask(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the RTP sink ended");
            }
            return new ObjectMapper().readTree(line);
        }

        @Override
        public void close() throws Exception {
            in.close(); // the sink exits when its input ends
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
