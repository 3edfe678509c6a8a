package org.switchboard.mrf;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslListener;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.OutboundSession;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaLoad;
import org.switchboard.sip.media.MediaServerInfo;
import org.switchboard.sip.media.MediaServerInfo.SipCapability;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.message.SipRequest;

/**
 * A media server over its inbound event socket (api, heartbeats) and the listener its channels connect back to.
 * An endpoint is created in two halves that may come in either order: the SIP call is answered, and the channel's
 * outbound connection arrives carrying the correlation id of the call's User-Agent; the endpoint exists once both
 * have.
 */
final class EslMediaServer implements MediaServer {

    private static final Logger LOG = LoggerFactory.getLogger(EslMediaServer.class);
    static final ScheduledExecutorService DEADLINES = DeadlineScheduler.create("mrf-deadlines");
    private static final int SERVICE_UNAVAILABLE = 503;
    private static final Pattern AGENT = Pattern.compile("^drachtio-fsmrf:(.+)$");
    private static final Pattern NO_CONFERENCE = Pattern.compile("No active conferences|Conference.*not found");
    private static final Pattern STATUS_CURRENT = Pattern.compile("(\\d+) session\\(s\\) - peak");
    private static final Pattern STATUS_RATE = Pattern.compile("(\\d+) session\\(s\\) per Sec");
    private static final Pattern STATUS_MAX = Pattern.compile("(\\d+) session\\(s\\) max");
    private static final Pattern STATUS_VERSION = Pattern.compile("FreeSWITCH \\(Version ([^)]+)\\)");

    private final MrfConfig config;
    private final MediaSignaling signaling;
    private final ExecutorService callbacks = CallbackExecutors.create("mrf-endpoints");
    // correlation id (the call's User-Agent suffix) -> the outbound connection, once it came
    private final Map<String, CompletableFuture<OutboundSession>> pending = new ConcurrentHashMap<>();
    // each outbound connection's event relay until its endpoint takes it over
    private final Map<OutboundSession, Relay> relays = new ConcurrentHashMap<>();
    private volatile EslClient client;
    private volatile EslOutboundServer listener;
    private volatile boolean closing; // the connection ends on purpose: nothing is lost, nothing reconnects
    private volatile String sipAddress;
    private volatile MediaLoad load = new MediaLoad(0, 0, 0);
    // the server's last word on new calls: its HEARTBEAT or status said "not ready", or it refused one with 503
    private volatile boolean refusing;
    // System.nanoTime of the last HEARTBEAT, and the interval between them (0: not known yet), see nextInterval
    private volatile long lastBeat;
    private volatile long beatInterval;
    // written by the connect steps and the heartbeats, which may overlap
    private final AtomicReference<MediaServerInfo> info = new AtomicReference<>(
            new MediaServerInfo("", "", "", "", OptionalDouble.empty(), Map.of()));

    private EslMediaServer(MrfConfig config, MediaSignaling signaling) {
        this.config = config;
        this.signaling = signaling;
    }

    static CompletionStage<MediaServer> connect(MrfConfig config, MediaSignaling signaling) {
        EslMediaServer server = new EslMediaServer(config, signaling);
        CompletableFuture<MediaServer> ready = EslClient.connect(config.inbound(), server.heartbeats())
                .thenCompose(c -> {
                    server.client = c;
                    return c.subscribe(EventFormat.JSON, "HEARTBEAT");
                })
                .thenCompose(r -> server.client.api("sofia status"))
                .thenCompose(sofia -> {
                    Map<SipCapability, String> addresses = sipAddresses(sofia, config.profile());
                    server.sipAddress = Optional.ofNullable(addresses.get(SipCapability.IPV4_UDP)).orElseThrow(() ->
                            new MediaException(config + " does not run the SIP profile " + config.profile()
                                    + " ('sofia status' lists no address for it)"));
                    server.info.updateAndGet(i -> new MediaServerInfo(i.hostname(), i.version(), i.ipv4(), i.ipv6(),
                            i.idleCpu(), addresses));
                    return server.client.api("status");
                })
                .thenApply(status -> {
                    server.load = parseStatus(status);
                    server.refusing = !isReady(status);
                    server.info.updateAndGet(i -> withVersion(i, status));
                    server.listener = EslOutboundServer.start(config.listen(), config.outbound(), server::relay,
                            server::onConnection);
                    LOG.info("MRF-MS-001 connected to {}: SIP at {}, channels connect back to {}", config,
                            server.sipAddress, server.advertised());
                    return (MediaServer) server;
                });
        return ready.whenComplete((s, e) -> {
            if (e != null) {
                server.close();
            }
        }).exceptionally(e -> {
            throw Events.failure("connect to " + config, e, null);
        });
    }

    /**
     * The profile's SIP addresses in {@code sofia status} output: a line per address, {@code (TLS)} at the end of the
     * TLS ones; the first of each kind counts.
     */
    static Map<SipCapability, String> sipAddresses(String sofiaStatus, String profile) {
        Map<SipCapability, String> addresses = new EnumMap<>(SipCapability.class);
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(profile)
                + "\\s.*sip:mod_sofia@(?:(\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+)|(\\[[0-9A-Fa-f:.]+\\]:\\d+))(.*)$",
                Pattern.MULTILINE).matcher(sofiaStatus);
        while (m.find()) {
            boolean tls = m.group(3).contains("(TLS)");
            SipCapability kind = m.group(1) != null
                    ? (tls ? SipCapability.IPV4_DTLS : SipCapability.IPV4_UDP)
                    : (tls ? SipCapability.IPV6_DTLS : SipCapability.IPV6_UDP);
            addresses.putIfAbsent(kind, m.group(1) != null ? m.group(1) : m.group(2));
        }
        return addresses;
    }

    /** {@code info} with the version {@code status} output names ({@code FreeSWITCH (Version 1.10.11 64bit)}). */
    static MediaServerInfo withVersion(MediaServerInfo info, String status) {
        Matcher m = STATUS_VERSION.matcher(status);
        return !m.find() || !info.version().isEmpty() ? info : new MediaServerInfo(info.hostname(), m.group(1),
                info.ipv4(), info.ipv6(), info.idleCpu(), info.sipAddresses());
    }

    /** {@code info} with what a heartbeat reports. */
    static MediaServerInfo fromHeartbeat(MediaServerInfo info, EslEvent heartbeat) {
        OptionalDouble idle = OptionalDouble.empty();
        try {
            idle = heartbeat.header("Idle-CPU").map(v -> OptionalDouble.of(Double.parseDouble(v.strip())))
                    .orElse(OptionalDouble.empty());
        } catch (NumberFormatException e) {
            // a heartbeat without a usable figure: unknown
        }
        return new MediaServerInfo(heartbeat.header("FreeSWITCH-Hostname").orElse(info.hostname()),
                heartbeat.header("FreeSWITCH-Version").orElse(info.version()),
                heartbeat.header("FreeSWITCH-IPv4").orElse(info.ipv4()),
                heartbeat.header("FreeSWITCH-IPv6").orElse(info.ipv6()), idle, info.sipAddresses());
    }

    /** Whether {@code status} output says the switch takes new calls ({@code ... is ready}, not {@code is not ready}). */
    static boolean isReady(String status) {
        return !status.contains(" is not ready");
    }

    /** Whether a HEARTBEAT says the switch takes new calls: {@code Event-Info: System Ready} (or no word on it). */
    static boolean isReady(EslEvent heartbeat) {
        return !heartbeat.header("Event-Info").map(v -> v.strip().equalsIgnoreCase("System Not Ready")).orElse(false);
    }

    /**
     * Whether a server that sends a HEARTBEAT every {@code interval} (0: not known yet) and last sent one at
     * {@code last} missed three by {@code now}: it is stalled (stopped, or its event socket stopped being read or
     * written) though its connection is up.
     */
    static boolean stalled(long now, long last, long interval) {
        return interval > 0 && now - last > 3 * interval;
    }

    /**
     * The HEARTBEAT interval after a gap of {@code gap} since the last one: the longest gap, forgotten by an eighth
     * a beat, so that beats that arrive in a burst after a delay (a busy machine) do not make the next ordinary
     * gap look like three missed ones.
     */
    static long nextInterval(long interval, long gap) {
        return Math.max(interval - interval / 8, gap);
    }

    /** The load in {@code status} output. */
    static MediaLoad parseStatus(String status) {
        return new MediaLoad(first(STATUS_CURRENT, status), first(STATUS_MAX, status), first(STATUS_RATE, status));
    }

    private static int first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private EslListener heartbeats() {
        return new EslListener() {
            @Override
            public void onEvent(EslEvent event) {
                if (event.eventName().equals("HEARTBEAT")) {
                    load = new MediaLoad(header(event, "Session-Count"), header(event, "Max-Sessions"),
                            header(event, "Session-Per-Sec"));
                    info.updateAndGet(i -> fromHeartbeat(i, event));
                    long now = System.nanoTime();
                    if (lastBeat != 0) {
                        beatInterval = nextInterval(beatInterval, now - lastBeat);
                    }
                    lastBeat = now;
                    readiness(isReady(event), "its HEARTBEAT");
                }
            }

            @Override
            public void onDisconnect(String reason) {
                if (closing) {
                    LOG.debug("event socket of {} closed", config);
                } else {
                    LOG.info("MRF-MS-002 lost the event socket of {} ({}); reconnecting", config, reason);
                }
            }
        };
    }

    private void readiness(boolean ready, String source) {
        boolean was = !refusing;
        refusing = !ready;
        if (was != ready) {
            LOG.info("MRF-MS-004 {} {} ({})", config, ready ? "takes new calls again" : "takes no new calls; other servers "
                    + "of a pool are preferred until it is ready", source);
        }
    }

    private static int header(EslEvent event, String name) {
        try {
            return Math.max(0, Integer.parseInt(event.header(name).orElse("0").strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Where the channels' connections are accepted. */
    InetSocketAddress listenAddress() {
        return listener.address();
    }

    private InetSocketAddress advertised() {
        return config.advertised().orElseGet(() -> listener.address());
    }

    // ---- outbound connections -------------------------------------------------------------

    /** Forwards a session's events to its endpoint once there is one; there are none before it subscribes. */
    private static final class Relay implements EslListener {
        private final Runnable forget;
        volatile EslListener endpoint;

        Relay(Runnable forget) {
            this.forget = forget;
        }

        @Override
        public void onEvent(EslEvent event) {
            EslListener target = endpoint;
            if (target != null) {
                target.onEvent(event);
            }
        }

        @Override
        public void onDisconnect(String reason) {
            forget.run();
            EslListener target = endpoint;
            if (target != null) {
                target.onDisconnect(reason);
            }
        }
    }

    private EslListener relay(OutboundSession session) {
        Relay relay = new Relay(() -> relays.remove(session));
        relays.put(session, relay);
        return relay;
    }

    private void onConnection(OutboundSession session) {
        String agent = session.channelData().variable("sip_user_agent").orElse("");
        Matcher m = AGENT.matcher(agent);
        CompletableFuture<OutboundSession> waiting = m.matches() ? pending.get(m.group(1)) : null;
        if (waiting == null || !waiting.complete(session)) {
            LOG.info("MRF-MS-003 {}: no endpoint waits for channel {} (User-Agent '{}'); hanging it up", config,
                    session.uuid(), agent);
            session.hangup("", "NO_ROUTE_DESTINATION").whenComplete((r, x) -> session.close());
        }
    }

    // ---- MediaServer ----------------------------------------------------------------------

    @Override
    public String address() {
        return config.eventSocket().getHostString() + ":" + config.eventSocket().getPort();
    }

    @Override
    public boolean isConnected() {
        EslClient c = client;
        return c != null && c.isConnected();
    }

    @Override
    public boolean isReady() {
        return isConnected() && !refusing && !stalled(System.nanoTime(), lastBeat, beatInterval);
    }

    @Override
    public MediaServerInfo info() {
        return info.get();
    }

    @Override
    public MediaLoad load() {
        return load;
    }

    @Override
    public CompletionStage<String> api(String command) {
        EslClient c = client;
        return c.api(command).exceptionally(e -> {
            throw Events.failure("api " + command, e, null);
        });
    }

    @Override
    public CompletionStage<Endpoint> createEndpoint(EndpointOptions options) {
        if (!isConnected()) {
            return CompletableFuture.failedFuture(new MediaException("too early: " + config + " is not connected"));
        }
        String id = UUID.randomUUID().toString();
        CompletableFuture<OutboundSession> connection = new CompletableFuture<>();
        pending.put(id, connection);
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        headers.put("User-Agent", "drachtio-fsmrf:" + id);
        InetSocketAddress back = advertised();
        headers.put("X-esl-outbound", back.getHostString() + ":" + back.getPort());
        CompletableFuture<Endpoint> result = new CompletableFuture<>();
        // the SIP side has deadlines of its own; this one holds even if it does not keep them
        long limit = config.commandTimeout().plus(config.connectionTimeout()).toMillis();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            if (result.completeExceptionally(new MediaException.Timeout("creating an endpoint: not done within "
                    + limit + " ms"))) {
                pending.remove(id);
                connection.thenAccept(OutboundSession::close);
            }
        }, limit, TimeUnit.MILLISECONDS);
        result.whenComplete((e, x) -> deadline.cancel(false));
        Optional<String> offer = options.remoteSdp().map(sdp -> CodecOrder.preferring(sdp, options.codecs()));
        signaling.invite("sip:drachtio@" + sipAddress, headers, offer).whenComplete((call, e) -> {
            if (e != null) {
                pending.remove(id);
                connection.thenAccept(OutboundSession::close);
                if (Events.unwrap(e) instanceof SipError refused && refused.status() == SERVICE_UNAVAILABLE) {
                    readiness(false, "it refused a call with 503");
                }
                result.completeExceptionally(new MediaException("the media server did not take the call: "
                        + Events.failure("INVITE", e, null).getMessage(), e));
                return;
            }
            connection.orTimeout(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((session, x) -> {
                pending.remove(id);
                if (x != null) {
                    call.hangup();
                    result.completeExceptionally(new MediaException.Timeout("the media server answered call " + id
                            + " but did not connect to " + back + " within " + config.connectionTimeout().toMillis() + " ms"));
                    return;
                }
                bind(session, call).whenComplete((endpoint, y) -> {
                    if (y != null) {
                        result.completeExceptionally(y);
                    }
                    if (y != null || !result.complete(endpoint)) { // failed, or too late: the deadline passed
                        call.hangup();
                        session.close();
                    }
                });
            });
        });
        return result;
    }

    @Override
    public CompletionStage<ConnectedCaller> connectCaller(SipRequest invite, EndpointOptions options) {
        return Callers.connect(invite, options, signaling, this::createEndpoint);
    }

    @Override
    public CompletionStage<Conference> createConference(String name, JoinOptions options) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '_', '.' or '-', was '" + name + "'");
        }
        return api("conference " + name + " list count").handle((body, e) -> {
            String answer = e == null ? body : String.valueOf(e.getMessage());
            if (!NO_CONFERENCE.matcher(answer).find()) {
                throw e == null ? new MediaException("conference " + name + " exists (" + body.strip() + " members)")
                        : Events.failure("create conference " + name, e, null);
            }
            return name;
        }).thenCompose(n -> createEndpoint(EndpointOptions.NONE)).thenCompose(leg -> leg
                .join(name, options.withFlags("endconf", "mute", "vmute"))
                .thenCompose(member -> MediaConference.start(name, member, (ChannelEndpoint) leg))
                .whenComplete((c, e) -> {
                    if (e != null) {
                        leg.destroy();
                    }
                }));
    }

    private CompletableFuture<Endpoint> bind(OutboundSession session, MediaSignaling.MediaCall call) {
        ChannelEndpoint endpoint = new ChannelEndpoint(session, call, callbacks, DEADLINES, config.commandTimeout(),
                config.customEvents());
        Relay relay = relays.remove(session);
        if (relay == null) {
            return CompletableFuture.failedFuture(new MediaException.ConnectionLost(
                    "the connection of channel " + session.uuid() + " closed before its endpoint was made", null));
        }
        relay.endpoint = endpoint;
        return endpoint.start();
    }

    @Override
    public void close() {
        closing = true;
        EslOutboundServer l = listener;
        if (l != null) {
            l.close();
        }
        EslClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
