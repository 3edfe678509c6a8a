package org.switchboard.media.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.core.EventListener;
import org.switchboard.media.core.LogLine;

/**
 * What one event socket connection's controller listens to, and the writing of it: the event subscriptions and
 * filters ({@link Subscription}), the event format, the log level. The commands that change them come on the
 * connection's command lane and answer with their reply text; events and log lines are written from whichever thread
 * fires them (serialized by Netty's write queue). The subscription is guarded by its own monitor, the rest is volatile.
 */
final class EventStream implements EventListener {

    // under the connection's logger, where its MS-ESL message ids have always been
    private static final Logger LOG = LoggerFactory.getLogger(EslConnection.class);
    /** Unread event bytes after which a controller is disconnected (FreeSWITCH: 100,000 queued events). */
    static final long MAX_PENDING_EVENT_BYTES = 64L << 20;

    private final Core core;
    private final Subscription subscription = new Subscription();
    private volatile io.netty.channel.Channel socket;
    private volatile String format = "plain";
    private volatile AutoCloseable listening;
    // log <level>: the log lines at or above that level (by number: up to it), until nolog
    private volatile AutoCloseable logging;

    EventStream(Core core) {
        this.core = core;
    }

    /** The socket events are written to, once the connection is active. */
    void attach(io.netty.channel.Channel socket) {
        this.socket = socket;
    }

    /** {@code event [plain|json|xml] names...}; {@code user} is the userauth login whose rights limit it, or null. */
    String event(String args, EslUser user) {
        List<String> tokens = new ArrayList<>(Arrays.asList(args.split(" +")));
        String asked = tokens.isEmpty() ? "" : tokens.get(0).toLowerCase(Locale.ROOT);
        boolean formatted = List.of("plain", "json", "xml").contains(asked);
        if (formatted) {
            tokens.remove(0);
        }
        tokens.removeIf(String::isEmpty);
        if (user != null && !tokens.stream().allMatch(user::mayReceive)) {
            return EslConnection.PERMISSION_DENIED;
        }
        if (formatted) {
            format = asked;
        }
        boolean any;
        synchronized (subscription) {
            any = subscription.add(tokens);
        }
        if (!any) {
            return "-ERR no keywords supplied";
        }
        listen();
        return "+OK event listener enabled " + format;
    }

    /** {@code myevents [uuid] [format]}: the events of one channel, by default the controlled one (null: none). */
    String myevents(String args, Channel controlled) {
        String uuid = controlled == null ? null : controlled.uuid();
        for (String token : args.split(" +")) {
            String t = token.toLowerCase(Locale.ROOT);
            if (t.equals("plain") || t.equals("json") || t.equals("xml")) {
                format = t;
            } else if (!t.isEmpty()) {
                uuid = token;
            }
        }
        if (uuid == null || core.channel(uuid).isEmpty()) {
            return "-ERR invalid uuid";
        }
        synchronized (subscription) {
            if (subscription.hasMyevents()) {
                return "-ERR aready enabled.";
            }
            subscription.myevents(uuid);
            route();
        }
        listen();
        return "+OK Events Enabled";
    }

    String nixevent(String args) {
        synchronized (subscription) {
            subscription.remove(Arrays.asList(args.split(" +")));
        }
        return "+OK events nixed";
    }

    String noevents() {
        boolean had;
        synchronized (subscription) {
            had = subscription.clear();
        }
        return had ? "+OK no longer listening for events" : "-ERR not listening for events";
    }

    /** {@code filter [add] header value} or {@code filter delete header [value]}. */
    String filter(String args) {
        String[] p = args.split(" ", 3);
        synchronized (subscription) {
            if (p[0].equalsIgnoreCase("delete") && p.length >= 2) {
                String header = p[1];
                Optional<String> value = p.length > 2 ? Optional.of(p[2]) : Optional.empty();
                subscription.unfilter(header, value);
                route();
                return "+OK filter deleted. [" + header + "][" + value.orElse("") + "]";
            }
            String rest = p[0].equalsIgnoreCase("add") ? args.substring(3).strip() : args;
            String[] f = rest.split(" ", 2);
            if (f.length < 2 || f[0].isEmpty() || f[1].isBlank()) {
                return "-ERR invalid syntax";
            }
            String value = f[1].strip();
            try {
                subscription.filter(f[0], value);
                route();
            } catch (PatternSyntaxException e) {
                return "-ERR invalid syntax";
            }
            return "+OK filter added. [" + f[0] + "]=[" + value + "]";
        }
    }

    /** {@code log [level]}: streams the switch's log lines up to that level as {@code log/data} (default DEBUG). */
    String log(String args) {
        Optional<Integer> level = args.isBlank() ? Optional.of(7) : LogLine.parseLevel(args);
        if (level.isEmpty()) {
            return "-ERR invalid log level";
        }
        int max = level.get();
        stopLogging();
        logging = core.listenToLog(line -> {
            if (line.level() <= max) {
                sendLog(line);
            }
        });
        return "+OK log level " + LogLine.LEVELS.get(max).toLowerCase(Locale.ROOT) + " [" + max + "]";
    }

    /** {@code nolog}; whether log lines were streamed. */
    boolean stopLogging() {
        AutoCloseable l = logging;
        logging = null;
        if (l == null) {
            return false;
        }
        try {
            l.close();
        } catch (Exception e) {
            LOG.debug("stop logging", e);
        }
        return true;
    }

    private void sendLog(LogLine line) {
        byte[] body = line.formatted().getBytes(StandardCharsets.UTF_8);
        String head = "Content-Type: log/data\nContent-Length: " + body.length + "\nLog-Level: " + line.level()
                + "\nText-Channel: 3\nLog-File: " + line.file() + "\nLog-Func: " + line.function() + "\nLog-Line: "
                + line.line() + "\nUser-Data: " + line.channelUuid().orElse("") + "\n\n";
        io.netty.channel.Channel s = socket;
        if (s != null && s.isActive()) {
            s.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.UTF_8), body));
        }
    }

    private void listen() {
        synchronized (subscription) {
            if (listening == null) {
                listening = core.listen(this, subscription.channels());
            }
        }
    }

    // under the subscription's monitor: tells the core which channels' events can pass now
    private void route() {
        if (listening != null) {
            listening = core.listen(this, subscription.channels());
        }
    }

    /** Stops the events and log lines (the connection ends or is disconnected). */
    void stop() {
        stopLogging();
        AutoCloseable l;
        synchronized (subscription) {
            l = listening;
            listening = null;
        }
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("stop listening", e);
            }
        }
    }

    @Override
    public void onEvent(EslEvent event) {
        synchronized (subscription) {
            if (!subscription.accepts(event)) {
                return;
            }
        }
        String text = switch (format) {
            case "json" -> event.toJson();
            case "xml" -> event.toXml();
            default -> event.toPlain();
        };
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "Content-Length: " + body.length + "\nContent-Type: text/event-" + format + "\n\n";
        io.netty.channel.Channel s = socket;
        if (s != null && s.isActive()) {
            ChannelOutboundBuffer pending = s.unsafe().outboundBuffer();
            if (pending != null && pending.totalPendingWriteBytes() > MAX_PENDING_EVENT_BYTES) {
                // a controller that does not read: as FreeSWITCH with a full event queue, let it go
                LOG.warn("MS-ESL-005 {}: more than {} bytes of events unread; disconnecting", s.remoteAddress(),
                        MAX_PENDING_EVENT_BYTES);
                stop();
                s.writeAndFlush(Unpooled.copiedBuffer("Content-Type: text/disconnect-notice\nContent-Length: 39\n\n"
                        + "killed listener because of lost events\n", StandardCharsets.UTF_8))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            s.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.UTF_8), body));
        }
    }
}
