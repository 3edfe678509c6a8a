package org.switchboard.media.server;

import io.micrometer.core.instrument.Gauge;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.lifecycle.Lifecycle;
import org.switchboard.media.app.Applications;
import org.switchboard.media.app.Bridges;
import org.switchboard.media.codec.Codecs;
import org.switchboard.media.conference.Conferences;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.esl.Api;
import org.switchboard.media.fork.AudioForks;
import org.switchboard.media.esl.EslServer;
import org.switchboard.media.esl.OutboundSocket;
import org.switchboard.media.esl.SofiaProfile;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.MediaMeters;
import org.switchboard.media.session.PortRange;
import org.switchboard.media.sip.SipSide;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;

/** The media server's parts wired together. */
final class EmbeddedMediaServer implements MediaServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMediaServer.class);

    private final MediaServerConfig config;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final MediaClock clock;
    private final ExecutorService work = CallbackExecutors.create("media-server");
    private final ScheduledExecutorService timers = DeadlineScheduler.create("media-server-timers");
    /**
     * The SIP stack's and user agent's timers, this server's so that {@link #close} stops them before the stack's
     * event loops: a retransmission fired after those stopped has Netty log an ERROR for its every send.
     */
    private final ScheduledExecutorService sipTimers = quietWhenStopped(DeadlineScheduler.create("sip-timers"));
    private static final long IDLE_CHECK_MILLIS = 50;
    /** The api command that reports the media clock (not one of FreeSWITCH's). */
    static final String CLOCK_API = "switchboard_media_clock";
    /** The deadline of an audio fork's connection, and again of its WebSocket handshake. */
    private static final Duration FORK_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long an audio fork's graceful shutdown waits for its server to close. */
    private static final Duration FORK_GRACEFUL_DEADLINE = Duration.ofSeconds(30);
    /** The {@code stack} tag of the server's SIP meters. */
    static final String STACK_NAME = "media";
    private CompletableFuture<Void> idle; // guarded by this; set by the first shutdown()
    private final Core core;
    private final Applications applications;
    private UserAgent sip;
    private SipSide sipSide;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private EslServer esl;
    private Api api;
    private InetSocketAddress sipAddress;
    private java.util.Optional<InetSocketAddress> tlsAddress = java.util.Optional.empty();

    private EmbeddedMediaServer(MediaServerConfig config) {
        this.config = config;
        this.clock = MediaClock.start(config.clockPriority(), MediaMeters.create(config.meters()),
                config.clockThreads());
        this.core = new Core(config.rtpAddress().getHostAddress(), Map.of(
                "base_dir", config.recordings().toAbsolutePath().getParent().toString(),
                "sounds_dir", config.sounds().toAbsolutePath().toString(),
                "sound_prefix", config.sounds().toAbsolutePath().toString(),
                "recordings_dir", config.recordings().toAbsolutePath().toString()));
        this.applications = new Applications(config.sounds(), config.recordings());
        Gauge.builder("media.channels", this, MediaServer::channelCount).description("Channels up (calls to the media server)")
                .register(config.meters());
        Gauge.builder("media.clock.tasks", clock, MediaClock::taskCount)
                .description("Tasks the media clock runs each 20 ms (channels sending and conferences mixing)")
                .register(config.meters());
    }

    static MediaServer start(MediaServerConfig config) {
        EmbeddedMediaServer server = new EmbeddedMediaServer(config);
        try {
            server.startParts();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startParts() {
        sipSide = new SipSide(core, applications::find, group, clock,
                new PortRange(config.rtpFirst(), config.rtpLast()), config.rtpAddress(), config.profile(), work,
                this::dialplan);
        sipSide.maxSessions(config.maxSessions());
        sipSide.codecs(new org.switchboard.media.sdp.Negotiation(config.codecs(), config.greedyCodecs()));
        sipSide.secureMedia(config.secureMedia());
        String host = config.sip().getAddress().getHostAddress();
        TransportConfig.Builder transport = TransportConfig.builder();
        if (config.sipTls().filter(SipTls::tlsOnly).isEmpty()) {
            transport.listen(Transport.UDP, host, config.sip().getPort());
        }
        config.sipTls().ifPresent(tls -> transport.listen(Transport.TLS, host, tls.port()).tls(tls.tlsConfig()));
        sip = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(transport.build(), config.sipTimers(), java.util.Optional.of(sipTimers),
                        config.meters(), STACK_NAME))
                .product("FreeSWITCH-mod_sofia/1.10.11-switchboard")
                .sessions(sipSide)
                .build(), sipTimers);
        List<ListenPoint> bound = sip.stack().transport().listenPoints();
        // tls-only: the TLS listener is the profile's only one, so its address
        sipAddress = bound.get(0).address();
        tlsAddress = bound.stream().filter(p -> p.transport() == Transport.TLS).map(ListenPoint::address).findFirst();
        java.util.Optional<InetSocketAddress> udp = bound.stream().filter(p -> p.transport() == Transport.UDP)
                .map(ListenPoint::address).findFirst();
        api = new Api(core, new SofiaProfile(config.profile(), sipAddress.getAddress().getHostAddress(),
                config.rtpAddress().getHostAddress(), udp.map(InetSocketAddress::getPort),
                tlsAddress.map(InetSocketAddress::getPort)), config.maxSessions());
        Conferences conferences = new Conferences(core, clock, config.sounds(), config.recordings(),
                sipAddress.getAddress().getHostAddress());
        applications.register("conference", conferences.application());
        api.register("conference", conferences.api());
        Bridges bridges = new Bridges(core);
        api.register("uuid_bridge", bridges.bridge());
        api.register("uuid_transfer", bridges.transfer());
        api.register(CLOCK_API, (a, c) -> clockReport());
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        api.register("uuid_audio_fork",
                new AudioForks(core, group, work, temp, FORK_CONNECT_TIMEOUT, FORK_GRACEFUL_DEADLINE).api());
        applications.register("socket", new OutboundSocket(group, core, api, work, config.socketConnectTimeout(),
                config.firstCommandTimeout()));
        esl = EslServer.start(group, config.esl(), core, api, work, config.password(), config.eslUsers(), config.eslAcl());
        long beat = config.heartbeat().toMillis();
        timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        LOG.info("MS-001 media server: SIP on {}, event socket on {}, RTP {}:{}-{}, Opus by {}", bound.stream()
                        .map(p -> p.transport() + " " + p.address()).collect(java.util.stream.Collectors.joining(" and ")),
                esl.address(), config.rtpAddress().getHostAddress(),
                config.rtpFirst(), config.rtpLast(), Codecs.opusImplementation());
    }

    /**
     * The fsmrf dialplan extension (docs/media-server.md): answer, a few variables, then {@code socket} to the address
     * in X-esl-outbound (async full); when control ends the dialplan is over and the call is hung up.
     */
    private void dialplan(Channel channel) {
        try {
            channel.execute("answer", "", java.util.UUID.randomUUID().toString());
            channel.set("send_silence_when_idle", "-1");
            channel.set("hangup_after_bridge", "false");
            channel.set("park_after_bridge", "true");
            channel.set("playback_terminators", "none");
            if (channel.get("sip_h_X-esl-outbound").isPresent()) {
                channel.execute("socket", "${sip_h_X-esl-outbound} async full", java.util.UUID.randomUUID().toString());
            } else {
                channel.park(() -> false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.hangup("NORMAL_CLEARING");
    }

    private void heartbeat() {
        long up = core.uptimeMillis();
        Map<String, Long> stats = core.sessionStatistics();
        core.fire(core.event("HEARTBEAT", "switch_core.c", "send_heartbeat", 110)
                .header("Event-Info", isShutdown() ? "System Not Ready" : "System Ready")
                .header("Up-Time", String.format(java.util.Locale.ROOT, "0 years, %d days, %d hours, %d minutes, "
                                + "%d seconds, %d milliseconds, 0 microseconds", up / 86_400_000, up / 3_600_000 % 24,
                        up / 60_000 % 60, up / 1000 % 60, up % 1000))
                .header("FreeSWITCH-Version", "1.10.11-release+switchboard~64bit")
                .header("Uptime-msec", Long.toString(up))
                .header("Session-Count", Integer.toString(core.channels().size()))
                .header("Max-Sessions", Integer.toString(config.maxSessions()))
                // no rate limit is configured: FreeSWITCH's limit field reports 0
                .header("Session-Per-Sec", "0")
                .header("Session-Per-Sec-Last", Long.toString(stats.get("last")))
                .header("Session-Per-Sec-Max", Long.toString(stats.get("rateMax")))
                .header("Session-Per-Sec-FiveMin", Long.toString(stats.get("rateFiveMin")))
                .header("Session-Since-Startup", Long.toString(core.sessionsSinceStartup()))
                .header("Session-Peak-Max", Long.toString(stats.get("peakMax")))
                .header("Session-Peak-FiveMin", Long.toString(stats.get("peakFiveMin")))
                .header("Idle-CPU", idleCpu())
                .build());
    }

    /** Idle CPU in percent, from the JVM's view of the machine's load ({@code 0.000000} when it cannot tell). */
    private static String idleCpu() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double load = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getCpuLoad() : -1;
        return String.format(java.util.Locale.ROOT, "%.6f", load < 0 ? 0.0 : 100 * (1 - load));
    }

    @Override
    public InetSocketAddress sipAddress() {
        return sipAddress;
    }

    @Override
    public java.util.Optional<InetSocketAddress> sipTlsAddress() {
        return tlsAddress;
    }

    @Override
    public InetSocketAddress eslAddress() {
        return esl.address();
    }

    @Override
    public int channelCount() {
        return core.channels().size();
    }

    @Override
    public long[] sendIntervalErrorHistogram() {
        return clock.sendIntervalErrorHistogram();
    }

    /**
     * What the {@value #CLOCK_API} api command answers, so that a benchmark in another process (or an application
     * through its media server's api) can read the media clock: {@code tasks <n>} and
     * {@code send_interval_error_100us <bucket>:<count> ...} (the non-zero buckets of
     * {@link #sendIntervalErrorHistogram()}, counted since the start: a window is the difference of two reports).
     */
    private String clockReport() {
        long[] histogram = clock.sendIntervalErrorHistogram();
        StringBuilder out = new StringBuilder("tasks ").append(clock.taskCount()).append("\nsend_interval_error_100us");
        for (int i = 0; i < histogram.length; i++) {
            if (histogram[i] != 0) {
                out.append(' ').append(i).append(':').append(histogram[i]);
            }
        }
        return out.append('\n').toString();
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown() {
        if (idle == null) {
            sipSide.drain();
            api.notReady();
            idle = new CompletableFuture<>();
            checkIdle();
        }
        return idle;
    }

    private void checkIdle() {
        if (core.channels().isEmpty() || closed.get()) {
            idle.complete(null);
        } else {
            timers.schedule(this::checkIdle, IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isShutdown() {
        return idle != null;
    }

    @Override
    public String inFlight() {
        int channels = core.channels().size();
        return channels == 0 ? "" : channels + (channels == 1 ? " media channel" : " media channels");
    }

    @Override
    public CompletableFuture<Void> shutdownGracefully(java.time.Duration grace) {
        shutdown(); // new calls are refused from the moment this returns; the waiting happens on its own thread
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            if (!Lifecycle.stop(grace, List.of(this), waiting -> LOG.info("MS-003 draining: {}", waiting))) {
                LOG.info("MS-002 calls still up after the {} ms grace were hung up", grace.toMillis());
            }
            done.complete(null);
        }, "media-server-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // the media first: nothing is to be heard any more, and with thousands of streams the clock threads (at
        // real-time priority) take the cores the event loops need to close the calls' sockets (4,000 channels took
        // 10 s to close, 4.5 s now); then the calls (their BYEs go out now), every timer, and only then the event
        // loops the timers and the channels' threads send on
        clock.close();
        for (Channel ch : core.channels()) {
            ch.hangup("SYSTEM_SHUTDOWN");
        }
        timers.shutdownNow();
        if (esl != null) {
            esl.close();
        }
        sipTimers.shutdownNow();
        if (sip != null) {
            sip.close();
        }
        work.shutdownNow();
        try {
            if (!work.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.debug("channel threads still running a second after they were interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        synchronized (this) {
            if (idle != null) {
                idle.complete(null); // nothing is in flight once closed
            }
        }
    }

    /**
     * {@code scheduler}, dropping what is scheduled once it is shut down: a SIP message still read while the stack
     * closes may start a transaction timer, which then never runs instead of throwing on the event loop.
     */
    private static ScheduledExecutorService quietWhenStopped(ScheduledExecutorService scheduler) {
        if (scheduler instanceof java.util.concurrent.ScheduledThreadPoolExecutor pool) {
            pool.setRejectedExecutionHandler(new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
        }
        return scheduler;
    }
}
