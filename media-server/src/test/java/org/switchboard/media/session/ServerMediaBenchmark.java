package org.switchboard.media.session;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.ExecuteOptions;
import org.switchboard.media.server.MediaServer;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;

/**
 * {@code ServerMediaBenchmark <calls> <seconds>}: the whole media server as the MRF uses it. That many SIP calls
 * (INVITE with {@code User-Agent: drachtio-fsmrf:<id>} and {@code X-esl-outbound}) are answered, each opens its
 * outbound event socket to a controller here, which executes {@code playback} of a WAV file (5 s, or
 * {@code -Dbench.promptSeconds}) looped forever; each call's SDP points at a receiving socket of its own. Prints one JSON
 * line: packets, the server's own send-interval error percentiles, the packets its sessions sent and received over
 * the calls' lives, the arrival-interval error (known to about a
 * millisecond: see {@link MediaBenchmark}'s receiver) and the CPU of the whole process (server, controller, SIP
 * client and receiver together). Run by {@code scripts/bench-media --server}.
 */
public final class ServerMediaBenchmark {

    private ServerMediaBenchmark() {
    }

    public static void main(String[] args) {
        MediaBenchmark.runOrExit(ServerMediaBenchmark::run, args);
    }

    private static void run(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path sounds = Files.createTempDirectory("bench-sounds");
        MediaBenchmark.writePrompt(sounds.resolve("prompt.wav"));
        InetAddress loopback = InetAddress.getLoopbackAddress();

        MediaBenchmark.Receiver receiver = new MediaBenchmark.Receiver();
        Thread rx = new Thread(receiver, "bench-receiver");
        rx.setDaemon(true);
        rx.start();

        MediaServer server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(loopback, 0)).esl(new InetSocketAddress(loopback, 0))
                .rtpPorts(20000, 20000 + 4 * calls + 200).sounds(sounds).maxSessions(calls)
                .clockPriority(MediaBenchmark.clockPriority()).build());
        AtomicInteger playing = new AtomicInteger();
        java.util.List<org.switchboard.esl.OutboundSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        EslOutboundServer controller = EslOutboundServer.start(new InetSocketAddress(loopback, 0),
                EslClientConfig.builder().commandTimeout(Duration.ofSeconds(30)).build(), s -> e -> { }, s -> {
                    s.execute(s.uuid(), "playback", "prompt.wav", ExecuteOptions.DEFAULT.withLoops(-1));
                    sessions.add(s);
                    playing.incrementAndGet();
                });

        // a SIP client on one socket: INVITE each call, ACK each 200
        DatagramSocket sip = new DatagramSocket(0, loopback);
        CountDownLatch answered = new CountDownLatch(calls);
        Map<String, Boolean> acked = new ConcurrentHashMap<>();
        Map<String, DatagramChannel> ears = new ConcurrentHashMap<>();
        Thread sipReader = new Thread(() -> {
            byte[] buf = new byte[65535];
            while (!sip.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    sip.receive(p);
                    SipMessage m = SipMessage.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    if (m instanceof SipResponse r && r.status() == 200 && r.cseq().method().equals("INVITE")) {
                        String callId = r.callId().orElseThrow();
                        send(sip, server.sipAddress(), request("ACK", callId, r.to().tag().orElseThrow(), sip, server,
                                0, 0));
                        if (acked.putIfAbsent(callId, true) == null) {
                            // from now on the call's socket takes only the server's RTP: read without a sender address
                            ears.get(callId).connect(new InetSocketAddress(loopback, rtpPort(r)));
                            answered.countDown();
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
        for (int i = 0; i < calls; i++) {
            DatagramChannel ear = receiver.open();
            ears.put("bench-" + i, ear);
            send(sip, server.sipAddress(), request("INVITE", "bench-" + i, null, sip, server,
                    ((InetSocketAddress) ear.getLocalAddress()).getPort(), controller.address().getPort()));
            Thread.sleep(5); // deliberate pacing: 200 calls/s
        }
        if (!answered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (calls - answered.getCount()) + " of " + calls + " calls answered");
        }
        org.switchboard.testing.poll.Poll.await(java.time.Duration.ofSeconds(60), "every call playing", () -> playing.get() >= calls);
        Thread.sleep(3000); // a benchmark's warm-up: JIT, socket buffers
        MediaBenchmark.Window w = MediaBenchmark.Window.measure(seconds, receiver, server::sendIntervalErrorHistogram);
        long[] sent = w.send();
        long[] errors = w.arrival();
        double wall = w.wall();
        long received = receiver.packets;
        // what the server's sessions counted over the calls' lives (uuid_set_media_stats, as an MRF would ask)
        long serverIn = 0;
        long serverOut = 0;
        int ended = 0;
        for (org.switchboard.esl.OutboundSession s : sessions) {
            try {
                s.api("uuid_set_media_stats " + s.uuid()).get(5, TimeUnit.SECONDS);
                serverIn += Long.parseLong(s.api("uuid_getvar " + s.uuid() + " rtp_audio_in_packet_count").get(5, TimeUnit.SECONDS).trim());
                serverOut += Long.parseLong(s.api("uuid_getvar " + s.uuid() + " rtp_audio_out_packet_count").get(5, TimeUnit.SECONDS).trim());
            } catch (java.util.concurrent.ExecutionException e) {
                ended++; // the call ended before the count (its socket closed with it): reported, not fatal
            }
        }
        System.out.printf("{\"calls\":%d,\"channelsUp\":%d,\"seconds\":%.1f,\"sent\":%d,\"packets\":%d,\"packetsPerSecond\":%.0f,"
                        + "\"sendIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                        + "\"arrivalIntervalErrorMs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                        + "\"cpuCores\":%.2f,\"receiverCores\":%.2f,\"receiverAllocatedMBps\":%.1f,"
                        + "\"serverPacketsOut\":%d,\"serverPacketsIn\":%d,\"callsEndedEarly\":%d}%n",
                calls, server.channelCount(), wall, java.util.Arrays.stream(sent).sum(), received, received / wall,
                MediaBenchmark.bucket(sent, 0.5), MediaBenchmark.bucket(sent, 0.99),
                MediaBenchmark.bucket(sent, 0.999), MediaBenchmark.bucket(sent, 1.0),
                MediaBenchmark.bucket(errors, 0.5), MediaBenchmark.bucket(errors, 0.99),
                MediaBenchmark.bucket(errors, 0.999), MediaBenchmark.bucket(errors, 1.0), w.cores(), w.receiverCores(), w.receiverMBps(), serverOut, serverIn, ended);
        sip.close();
        controller.close();
        server.close();
        System.exit(0);
    }

    /** The audio port of a 200 OK's SDP. */
    private static int rtpPort(SipResponse ok) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("m=audio (\\d+) ")
                .matcher(new String(ok.body(), StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalStateException("no audio port in the answer of " + ok.callId().orElse("?"));
        }
        return Integer.parseInt(m.group(1));
    }

    private static String request(String method, String callId, String toTag, DatagramSocket sip, MediaServer server,
                                  int rtp, int eslPort) throws Exception {
        String sdp = "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtp + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
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
}
