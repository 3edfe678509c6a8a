package org.switchboard.media.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.codec.EslProtocolException;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;
import org.switchboard.media.core.Message;

/**
 * One event socket connection, switch side: inbound (authenticates first) or outbound (controls one channel,
 * answers {@code connect} with its CHANNEL_DATA). Commands are decoded on the event loop and handled one at a time,
 * in order, on a lane of {@code background} (an api may create files; applications run on the channel thread,
 * {@code bgapi} elsewhere on {@code background}); events are written from whichever thread fires them, serialized
 * by Netty's write queue.
 *
 * <p>This class owns the connection's life, its login and the commands that act on the switch; what the controller
 * listens to (events, filters, log lines) and the writing of it are {@code EventStream}.
 */
final class EslConnection extends SimpleChannelInboundHandler<EslFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(EslConnection.class);
    /** The largest command header block taken (FreeSWITCH allows about 10 MB; commands are a few hundred bytes). */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final String PERMISSION_DENIED = "-ERR permission denied";
    static final String GOODBYE = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
    private static final List<String> COMMANDS = List.of("auth", "userauth", "filter", "nixevent", "noevents",
            "event", "myevents", "divert_events", "sendevent", "sendmsg", "getvar", "api", "bgapi", "log", "nolog",
            "linger", "nolinger", "resume", "exit", "...", "connect");

    private final Core core;
    private final Api api;
    private final Executor background;
    // the connection's commands, one at a time in arrival order, off the event loop (api may touch files)
    private final Executor lane;
    private final Optional<String> password;
    // userauth: by user@domain
    private final Map<String, EslUser> users;
    private final Channel controlled;
    private final EventStream events;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile io.netty.channel.Channel socket;
    private volatile boolean authenticated;
    // who logged in with userauth, whose rights then limit event, api, bgapi and log (null: a password login)
    private volatile EslUser user;
    // seconds to linger after the channel hangs up: -2 none, -1 until the controller closes
    private volatile int linger = -2;

    private EslConnection(Core core, Api api, Executor background, Optional<String> password, Map<String, EslUser> users,
                          Channel controlled) {
        this.core = core;
        this.events = new EventStream(core);
        this.users = users;
        this.api = api;
        this.background = background;
        this.lane = new org.switchboard.executors.SerialExecutor(background);
        this.password = password;
        this.controlled = controlled;
        this.authenticated = password.isEmpty();
    }

    /** An inbound connection, which asks for {@code password} or one of the {@code users}' (userauth). */
    static EslConnection inbound(Core core, Api api, Executor background, String password, Map<String, EslUser> users) {
        return new EslConnection(core, api, background, Optional.of(password), users, null);
    }

    /** An outbound connection controlling {@code channel} ("async full"). */
    static EslConnection outbound(Core core, Api api, Executor background, Channel channel) {
        EslConnection c = new EslConnection(core, api, background, Optional.empty(), Map.of(), channel);
        // on the command lane: a command under way (an api that hangs this very channel up) answers first, then the
        // disconnect follows, as FreeSWITCH's listener thread answers its command before it notices the hangup
        channel.hungUp().thenAccept(cause -> c.lane.execute(c::channelHungUp));
        return c;
    }

    /** Completes when the controller sent {@code connect} (outbound). */
    CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes when the socket is closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        socket = ctx.channel();
        events.attach(socket);
        if (password.isPresent()) {
            write("Content-Type: auth/request\n\n");
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.stop();
        closed.complete(null);
        if (controlled != null) {
            controlled.undivert(events);
            controlled.wake(); // its park loop ends with the control
        }
        connected.completeExceptionally(new IllegalStateException("the controller closed before connect"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof EslProtocolException || cause.getCause() instanceof EslProtocolException) {
            LOG.info("MS-ESL-001 {}: malformed command ({}); closing", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.debug("event socket {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, EslFrame frame) {
        List<String> lines = frame.lines();
        if (lines.isEmpty()) {
            return;
        }
        String line = lines.get(0).strip();
        String keyword = line.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        String command = COMMANDS.stream().filter(keyword::startsWith).findFirst().orElse(keyword);
        String args = line.length() > keyword.length() ? line.substring(keyword.length()).strip() : "";
        lane.execute(() -> {
            try {
                handle(command, args, frame);
            } catch (RuntimeException e) {
                LOG.warn("MS-ESL-002 command '{}' failed", line, e);
                reply("-ERR " + e.getMessage());
            }
        });
    }

    private void handle(String command, String args, EslFrame frame) {
        if (controlled != null && !connected.isDone()) {
            if (command.equals("connect")) {
                write(controlled.channelDataEvent("parse_command", 2029)
                        .header("Content-Type", "command/reply")
                        .header("Reply-Text", "+OK\n")
                        .header("Socket-Mode", "async")
                        .header("Control", "full")
                        .build().toPlain());
                connected.complete(null);
            }
            return; // FreeSWITCH answers nothing before connect
        }
        if (!authenticated) {
            switch (command) {
                case "auth" -> auth(args);
                case "exit", "..." -> exit();
                case "userauth" -> userauth(args);
                default -> reply("-ERR command not found");
            }
            return;
        }
        switch (command) {
            case "auth" -> reply("+OK accepted");
            case "api" -> {
                if (permitted(user == null || user.mayRun(args))) {
                    write(apiResponse(api.execute(args, Optional.ofNullable(controlled))));
                }
            }
            case "bgapi" -> {
                if (permitted(user == null || user.mayRun(args))) {
                    bgapi(args, frame);
                }
            }
            case "event" -> reply(events.event(args, user));
            case "nixevent" -> reply(events.nixevent(args));
            case "noevents" -> reply(events.noevents());
            case "myevents" -> reply(events.myevents(args, controlled));
            case "filter" -> reply(events.filter(args));
            case "divert_events" -> {
                if (controlled == null) {
                    reply("-ERR not controlling a session.");
                } else if (args.equalsIgnoreCase("on")) {
                    controlled.divert(events);
                    reply("+OK events diverted");
                } else {
                    controlled.divert(null);
                    reply("+OK events not diverted");
                }
            }
            case "sendmsg" -> sendmsg(args, frame);
            case "sendevent" -> sendevent(args, frame);
            case "getvar" -> {
                Optional<String> v = controlled == null ? Optional.empty() : controlled.get(args);
                reply(v.filter(s -> !s.isEmpty()).orElse("-ERR command not found"));
            }
            case "linger" -> {
                if (controlled == null) {
                    reply("-ERR not controlling a session");
                } else if (args.isEmpty()) {
                    linger = -1;
                    reply("+OK will linger");
                } else {
                    linger = Math.max(0, parseInt(args, 0));
                    reply("+OK will linger " + linger + " seconds");
                }
            }
            case "nolinger" -> {
                linger = -2;
                reply("+OK will not linger");
            }
            case "resume" -> reply("+OK");
            case "log" -> {
                if (permitted(user == null || user.allowedLog())) {
                    reply(events.log(args));
                }
            }
            case "nolog" -> reply(events.stopLogging() ? "+OK no longer logging" : "-ERR not loging");
            case "exit", "..." -> exit();
            case "connect" -> reply("-ERR command not found");
            default -> reply("-ERR command not found");
        }
    }

    /** Replies {@code -ERR permission denied} unless the userauth login may do what it asked (FreeSWITCH's reply). */
    private boolean permitted(boolean allowed) {
        if (!allowed) {
            reply(PERMISSION_DENIED);
        }
        return allowed;
    }

    /** {@code userauth user@domain:password}: a configured user logs in instead of giving the socket's password. */
    private void userauth(String given) {
        int colon = given.indexOf(':');
        String user = (colon < 0 ? given : given.substring(0, colon)).strip();
        EslUser known = users.get(user);
        if (colon > 0 && known != null && same(known.password(), given.substring(colon + 1))) {
            this.user = known;
            authenticated = true;
            write("Content-Type: command/reply\nReply-Text: +OK accepted\n" + known.grants() + "\n");
        } else {
            LOG.info("MS-ESL-006 {}: userauth refused for '{}'", socket.remoteAddress(), user);
            reply("-ERR invalid");
            disconnect(false);
        }
    }

    // compares in time that does not depend on where the first difference is
    private static boolean same(String expected, String given) {
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private void auth(String given) {
        if (same(password.orElse(""), given)) {
            authenticated = true;
            reply("+OK accepted");
        } else {
            LOG.info("MS-ESL-003 {}: wrong event socket password", socket.remoteAddress());
            reply("-ERR invalid");
            disconnect(false);
        }
    }

    private void exit() {
        reply("+OK bye");
        disconnect(false);
    }

    private void bgapi(String args, EslFrame frame) {
        String job = frame.header("Job-UUID").orElseGet(() -> UUID.randomUUID().toString());
        write("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + job + "\nJob-UUID: " + job + "\n\n");
        Optional<Channel> ch = Optional.ofNullable(controlled);
        background.execute(() -> {
            String out = api.execute(args, ch);
            String name = args.split(" ", 2)[0];
            EslEvent.Builder b = core.event("BACKGROUND_JOB", "mod_event_socket.c", "api_exec", 1580)
                    .header("Job-UUID", job);
            ch.ifPresent(c -> b.header("Job-Owner-UUID", c.uuid()));
            b.header("Job-Command", name);
            if (args.length() > name.length()) {
                b.header("Job-Command-Arg", args.substring(name.length()).strip());
            }
            core.fire(b.body(out).build());
        });
    }

    private void sendmsg(String args, EslFrame frame) {
        Channel target = args.isEmpty() ? controlled : core.channel(args).orElse(null);
        if (target == null) {
            reply("-ERR invalid session id [" + args + "]");
            return;
        }
        target.enqueue(new Message(headers(frame), new String(frame.body(), StandardCharsets.UTF_8)));
        reply("+OK");
    }

    private void sendevent(String args, EslFrame frame) {
        String name = args.isEmpty() ? "CUSTOM" : args.toUpperCase(Locale.ROOT);
        EslEvent.Builder b = core.event(name, "mod_event_socket.c", "parse_command", 1);
        headers(frame).forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                b.header(k, v);
            }
        });
        if (frame.body().length > 0) {
            b.body(new String(frame.body(), StandardCharsets.UTF_8));
        }
        EslEvent e = b.build();
        core.fire(e);
        reply("+OK " + e.header("Event-UUID").orElse(UUID.randomUUID().toString()));
    }

    /** A command's headers: after the command line, split at the first colon, spaces after it stripped. */
    private static Map<String, String> headers(EslFrame frame) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> lines = frame.lines();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** The controlled channel hung up: disconnect now, or linger first (as FreeSWITCH does with linger). */
    private void channelHungUp() {
        io.netty.channel.Channel s = socket;
        if (s == null || !s.isActive()) {
            return;
        }
        if (linger == -2) {
            disconnect(true);
            return;
        }
        write("Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + controlled.uuid()
                + "\nContent-Disposition: linger\nChannel-Name: " + controlled.name() + "\nLinger-Time: " + linger
                + "\nContent-Length: 0\n\n");
        if (linger >= 0) {
            s.eventLoop().schedule(() -> disconnect(true), linger, TimeUnit.SECONDS);
        }
    }

    /** Sends the disconnect notice and closes. */
    void disconnect(boolean channelGone) {
        io.netty.channel.Channel s = socket;
        if (s == null) {
            return;
        }
        events.stop();
        String head = controlled == null ? "Content-Type: text/disconnect-notice\n"
                : "Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + controlled.uuid()
                + "\nContent-Disposition: disconnect\n";
        s.writeAndFlush(Unpooled.copiedBuffer(head + "Content-Length: " + GOODBYE.length() + "\n\n" + GOODBYE,
                StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
    }

    private static String apiResponse(String body) {
        return "Content-Type: api/response\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\n\n" + body;
    }

    private void reply(String text) {
        write("Content-Type: command/reply\nReply-Text: " + text + "\n\n");
    }

    private void write(String text) {
        io.netty.channel.Channel s = socket;
        if (s != null) {
            s.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
