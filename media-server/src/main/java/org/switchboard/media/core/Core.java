package org.switchboard.media.core;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.event.EslEvent;

/**
 * What every event carries about the process (Core-UUID, host, addresses, a sequence), the event bus, the
 * channels by UUID and the global variables ({@code $${name}}). Thread-safe.
 */
public final class Core {

    private static final Logger LOG = LoggerFactory.getLogger(Core.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

    private final String coreUuid = UUID.randomUUID().toString();
    private final String hostname;
    private final String ipv4;
    private final AtomicLong sequence = new AtomicLong();
    private final EventRoutes routes = new EventRoutes();
    private volatile EventDates dates = new EventDates(Long.MIN_VALUE, "", "");
    private final List<java.util.function.Consumer<LogLine>> logListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Map<String, String> globals;
    private final long started = System.currentTimeMillis();
    private final SessionCounts sessions = new SessionCounts(System::currentTimeMillis);

    /**
     * A core.
     *
     * @param ipv4 the address reported as FreeSWITCH-IPv4
     * @param globals the global variables ({@code base_dir}, {@code sounds_dir}, {@code recordings_dir} ...)
     */
    public Core(String ipv4, Map<String, String> globals) {
        this.ipv4 = ipv4;
        this.globals = new ConcurrentHashMap<>(globals);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        this.hostname = host;
    }

    /** The Core-UUID. */
    public String uuid() {
        return coreUuid;
    }

    /** The host name events report as FreeSWITCH-Hostname and -Switchname. */
    public String hostname() {
        return hostname;
    }

    /** A global variable. */
    public Optional<String> global(String name) {
        return Optional.ofNullable(globals.get(name));
    }

    /** Milliseconds since the core started. */
    public long uptimeMillis() {
        return System.currentTimeMillis() - started;
    }

    /** An event of that name with the standard headers of every event (Event-Name first, Event-Sequence last). */
    public EslEvent.Builder event(String name, String file, String function, int line) {
        long millis = System.currentTimeMillis();
        long micros = millis * 1000 + (System.nanoTime() / 1000) % 1000;
        EventDates now = dates(millis / 1000);
        return EslEvent.builder(name)
                .header("Core-UUID", coreUuid)
                .header("FreeSWITCH-Hostname", hostname)
                .header("FreeSWITCH-Switchname", hostname)
                .header("FreeSWITCH-IPv4", ipv4)
                .header("FreeSWITCH-IPv6", "::1")
                .header("Event-Date-Local", now.local())
                .header("Event-Date-GMT", now.gmt())
                .header("Event-Date-Timestamp", Long.toString(micros))
                .header("Event-Calling-File", file)
                .header("Event-Calling-Function", function)
                .header("Event-Calling-Line-Number", Integer.toString(line))
                .header("Event-Sequence", Long.toString(sequence.incrementAndGet()));
    }

    // the date headers change once a second: formatted then, not for each of the thousands of events in it
    private EventDates dates(long second) {
        EventDates d = dates;
        if (d.second() != second) {
            ZonedDateTime at = Instant.ofEpochSecond(second).atZone(ZoneId.systemDefault());
            d = new EventDates(second, LOCAL.format(at), GMT.format(at.withZoneSameInstant(ZoneOffset.UTC)));
            dates = d;
        }
        return d;
    }

    private record EventDates(long second, String local, String gmt) {
    }

    /** Hands {@code event} to every listener that takes any event and to those narrowed to its channel. */
    public void fire(EslEvent event) {
        for (EventListener l : routes.candidates(event)) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("MS-CORE-001 an event listener failed on {}", event, e);
            }
        }
    }

    /** Whether anyone listens (events need not be built when nobody does). */
    public boolean listening() {
        return !routes.isEmpty();
    }

    /** Starts delivering events to {@code listener}; the returned handle stops it. */
    public AutoCloseable listen(EventListener listener) {
        return listen(listener, Set.of());
    }

    /**
     * Starts delivering events to {@code listener}, or changes which: all of them ({@code channels} empty), or only
     * those of the channels with these UUIDs (case-insensitive; a background job's owner counts as its channel).
     * The listener still decides for itself; this only spares it the others. The returned handle stops it.
     */
    public AutoCloseable listen(EventListener listener, Set<String> channels) {
        routes.route(listener, channels);
        return () -> routes.remove(listener);
    }

    /**
     * Writes a line to the switch's log, as FreeSWITCH would at that place ({@code file}, {@code function},
     * {@code line} of its source), for the event socket connections that asked for {@code log}.
     */
    public void log(int level, String file, String function, int line, Optional<String> channelUuid, String text) {
        if (logListeners.isEmpty()) {
            return;
        }
        LogLine entry = new LogLine(level, file, function, line, channelUuid, text, java.time.LocalDateTime.now());
        for (java.util.function.Consumer<LogLine> l : logListeners) {
            try {
                l.accept(entry);
            } catch (RuntimeException e) {
                LOG.warn("MS-CORE-002 a log listener failed", e);
            }
        }
    }

    /** Starts handing log lines to {@code listener} (it filters by level, and must not block); the handle stops it. */
    public AutoCloseable listenToLog(java.util.function.Consumer<LogLine> listener) {
        logListeners.add(listener);
        return () -> logListeners.remove(listener);
    }

    void add(Channel channel) {
        channels.put(channel.uuid(), channel);
        sessions.created(channels.size());
        log(5, "switch_channel.c", "switch_channel_set_name", 1104, Optional.of(channel.uuid()),
                "New Channel " + channel.name() + " [" + channel.uuid() + "]");
    }

    /**
     * Session statistics as HEARTBEAT and {@code status} report them: channels created in this second ({@code last}),
     * the most in any second ({@code rateMax} ever, {@code rateFiveMin}), the most up at once ({@code peakMax} ever,
     * {@code peakFiveMin}).
     */
    public Map<String, Long> sessionStatistics() {
        return sessions.snapshot(channels.size());
    }

    void remove(Channel channel) {
        channels.remove(channel.uuid(), channel);
    }

    /** A channel by UUID. */
    public Optional<Channel> channel(String uuid) {
        return Optional.ofNullable(channels.get(uuid));
    }

    /** The channels now up. */
    public Collection<Channel> channels() {
        return List.copyOf(channels.values());
    }

    /** Channels created since the start. */
    public long sessionsSinceStartup() {
        return sessions.total();
    }
}
