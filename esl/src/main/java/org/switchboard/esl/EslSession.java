package org.switchboard.esl;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.codec.EslFrame;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.executors.CallbackExecutors;
import org.switchboard.executors.DeadlineScheduler;

/**
 * The controller's side of one event socket connection, inbound ({@link EslClient}) or outbound
 * ({@link OutboundSession}): commands with deadlines and replies in order, bgapi jobs and executes completed by
 * their events, and events delivered off the I/O threads, one channel's events in order, through a bounded queue.
 * When the connection drops, every pending command, job and execute fails at once with
 * {@link EslException.ConnectionClosed}.
 *
 * <p>This class owns the command FIFO (written and polled under its lock, so the wire order is the reply order) and
 * reads the frames on the connection's I/O thread; the jobs and executes waiting for their events are {@code Jobs},
 * the hand-over of events to the listener's lanes is {@code EventDispatch}.
 */
public abstract sealed class EslSession implements AutoCloseable permits EslClient, OutboundSession {

    static final Logger LOG = LoggerFactory.getLogger(EslSession.class);
    static final ScheduledExecutorService TIMER = DeadlineScheduler.create("esl-timers");

    final String peer;
    final Duration commandTimeout;
    final EslListener listener;
    final ExecutorService executor = CallbackExecutors.create("esl-events");
    private final ArrayDeque<Pending> fifo = new ArrayDeque<>();
    private final Jobs jobs;
    private final EventDispatch events;
    // commands replayed after a reconnect, in the order they were first sent (subscriptions and filters)
    final Map<String, String> replay = new LinkedHashMap<>();
    volatile Channel channel;
    volatile boolean closed;

    // inline: completed on the I/O thread, for the session's own bookkeeping that must precede what comes next
    // verb: the command's meter index; settled: its outcome was recorded (by the reply, the deadline or the close)
    private record Pending(String description, CompletableFuture<EslReply> reply, ScheduledFuture<?> deadline, boolean inline,
                           int verb, long startedNanos, AtomicBoolean settled) {
    }

    final EslMeters meters;

    EslSession(String peer, Duration commandTimeout, Duration jobTimeout, int eventQueue, SlowConsumerPolicy policy,
               EslListener listener, EslMeters meters, long lingerNanos) {
        this.peer = peer;
        this.meters = meters;
        this.commandTimeout = commandTimeout;
        this.listener = listener;
        this.jobs = new Jobs(this, jobTimeout);
        this.events = new EventDispatch(listener, executor, eventQueue, policy, lingerNanos);
    }

    void fail(CompletableFuture<?> future, EslException error) {
        offLoop(() -> future.completeExceptionally(error));
    }

    /** Completes futures off the I/O threads, so that what users chain on them never runs on an event loop. */
    void offLoop(Runnable completion) {
        try {
            executor.execute(completion);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            completion.run();
        }
    }

    /** Events handed to lanes whose listeners have not finished with them yet. */
    int queuedEvents() {
        return events.queuedEvents();
    }

    /** Events dropped because listeners fell behind ({@link SlowConsumerPolicy#DROP}). */
    public long droppedEvents() {
        return events.droppedEvents();
    }

    // ---- commands --------------------------------------------------------------------------

    /** Sends a command line with the default deadline. */
    public CompletableFuture<EslReply> command(String commandLine) {
        return command(commandLine, Map.of(), "", commandTimeout);
    }

    /**
     * Sends a command: its line, header lines and an optional body (sent with its Content-Length).
     * Completes with the reply, or fails with {@link EslException.Timeout} after {@code timeout}.
     */
    public CompletableFuture<EslReply> command(String commandLine, Map<String, String> headers, String body, Duration timeout) {
        return command(commandLine, headers, body, timeout, false);
    }

    CompletableFuture<EslReply> command(String commandLine, Map<String, String> headers, String body, Duration timeout,
                                        boolean inline) {
        CompletableFuture<EslReply> reply = new CompletableFuture<>();
        String description = describe(commandLine);
        StringBuilder text = new StringBuilder(commandLine.length() + 64).append(commandLine).append('\n');
        headers.forEach((name, value) -> {
            if (value.indexOf('\n') >= 0 || name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " holds a line break");
            }
            text.append(name).append(": ").append(value).append('\n');
        });
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        if (bodyBytes.length > 0) {
            text.append("Content-Length: ").append(bodyBytes.length).append('\n');
        }
        text.append('\n');
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        Channel ch = channel;
        synchronized (fifo) {
            if (ch == null || !ch.isActive() || closed) {
                reply.completeExceptionally(new EslException.ConnectionClosed("'" + description + "': not connected to " + peer, null));
                return reply;
            }
            int verb = EslMeters.verb(commandLine);
            long started = System.nanoTime();
            AtomicBoolean settled = new AtomicBoolean();
            ScheduledFuture<?> deadline = TIMER.schedule(() -> {
                if (settled.compareAndSet(false, true)) {
                    meters.completed(verb, EslMeters.Outcome.TIMEOUT, started);
                }
                fail(reply, new EslException.Timeout("'" + description + "': no reply within " + timeout.toMillis() + " ms"));
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            fifo.add(new Pending(description, reply, deadline, inline, verb, started, settled));
            // written under the lock so the wire order is the FIFO order
            ch.writeAndFlush(Unpooled.wrappedBuffer(head, bodyBytes));
        }
        return reply;
    }

    /** A command line for messages: at most 60 characters, and never a password. */
    static String describe(String commandLine) {
        String c = commandLine;
        if (c.regionMatches(true, 0, "auth ", 0, 5)) {
            c = "auth ****";
        } else if (c.regionMatches(true, 0, "userauth ", 0, 9)) {
            int colon = c.indexOf(':');
            c = (colon < 0 ? "userauth" : c.substring(0, colon)) + ":****";
        }
        return c.length() > 60 ? c.substring(0, 60) + "..." : c;
    }

    /** Runs an API command and completes with its output; {@code -ERR} output fails with {@link EslException.CommandFailed}. */
    public CompletableFuture<String> api(String command) {
        return command("api " + command).thenApply(r -> {
            String body = r.frame().bodyAsString();
            if (body.startsWith("-ERR")) {
                throw new EslException.CommandFailed("api " + command + ": " + body.strip());
            }
            return body;
        });
    }

    /**
     * Runs an API command in the background; completes with its BACKGROUND_JOB event (the body is the output).
     * The connection must be subscribed to BACKGROUND_JOB. The Job-UUID is chosen here and registered before
     * the command is written, so the event cannot outrun the reply.
     */
    public CompletableFuture<EslEvent> bgapi(String command) {
        String jobUuid = UUID.randomUUID().toString();
        CompletableFuture<EslEvent> done = jobs.register(jobUuid, "bgapi " + command);
        return jobs.start(jobUuid, done, "bgapi " + command,
                command("bgapi " + command, Map.of("Job-UUID", jobUuid), "", commandTimeout));
    }

    /**
     * Executes a dialplan application on a channel ({@code sendmsg} with {@code call-command: execute}) and
     * completes with the CHANNEL_EXECUTE_COMPLETE whose Application-UUID is the one sent. The connection must
     * be subscribed to CHANNEL_EXECUTE_COMPLETE.
     *
     * @param options loops, event-lock and async
     */
    public CompletableFuture<EslEvent> execute(String uuid, String application, String argument, ExecuteOptions options) {
        String appUuid = UUID.randomUUID().toString();
        CompletableFuture<EslEvent> done = jobs.register(appUuid, "execute " + application + " on " + uuid);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("call-command", "execute");
        headers.put("execute-app-name", application);
        boolean multiline = argument.indexOf('\n') >= 0;
        if (!multiline && !argument.isEmpty()) {
            headers.put("execute-app-arg", argument);
        }
        if (options.loops() != 1) {
            headers.put("loops", Integer.toString(options.loops()));
        }
        if (options.eventLock()) {
            headers.put("event-lock", "true");
        }
        if (options.async()) {
            headers.put("async", "true");
        }
        headers.put("Event-UUID", appUuid);
        if (multiline) {
            headers.put("content-type", "text/plain");
        }
        return jobs.start(appUuid, done, "execute " + application,
                command(sendmsg(uuid), headers, multiline ? argument : "", commandTimeout));
    }

    /** Starts {@code log/data} messages at a level ({@code DEBUG}, {@code INFO}, ... or 0 to 7). */
    public CompletableFuture<EslReply> log(String level) {
        return command("log " + level);
    }

    /** Stops {@code log/data} messages. */
    public CompletableFuture<EslReply> nolog() {
        return command("nolog");
    }

    /** Ends the session politely: the switch answers {@code +OK bye} and closes. */
    public CompletableFuture<EslReply> exit() {
        return command("exit");
    }

    /** Hangs up a channel ({@code sendmsg} with {@code call-command: hangup}). */
    public CompletableFuture<EslReply> hangup(String uuid, String cause) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("call-command", "hangup");
        headers.put("hangup-cause", cause);
        return command(sendmsg(uuid), headers, "", commandTimeout);
    }

    /** {@code sendmsg} for a channel; an empty uuid addresses the channel an outbound socket controls. */
    private static String sendmsg(String uuid) {
        return uuid.isEmpty() ? "sendmsg" : "sendmsg " + uuid;
    }

    /** Subscribes to events in a format ({@code ALL}, names, {@code CUSTOM} subclasses); replayed after a reconnect. */
    public CompletableFuture<EslReply> subscribe(EventFormat format, String... events) {
        return remembered("event " + format.keyword() + " " + String.join(" ", events));
    }

    /** Adds an event filter; replayed after a reconnect. */
    public CompletableFuture<EslReply> filter(String header, String value) {
        return remembered("filter " + header + " " + value);
    }

    /** Removes an event filter (and stops replaying it). */
    public CompletableFuture<EslReply> filterDelete(String header, String value) {
        synchronized (replay) {
            replay.remove("filter " + header + " " + value);
        }
        return command("filter delete " + header + " " + value);
    }

    /** Stops some event subscriptions. */
    public CompletableFuture<EslReply> nixevent(String... events) {
        return remembered("nixevent " + String.join(" ", events));
    }

    /** Stops every event subscription. */
    public CompletableFuture<EslReply> noevents() {
        synchronized (replay) {
            replay.clear();
        }
        return command("noevents");
    }

    /** Fires an event on the switch. */
    public CompletableFuture<EslReply> sendEvent(EslEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (EslEvent.Header h : event.headers()) {
            if (!h.name().equalsIgnoreCase("Event-Name")) {
                headers.put(h.name(), h.value());
            }
        }
        return command("sendevent " + event.eventName(), headers, event.body(), commandTimeout);
    }

    private CompletableFuture<EslReply> remembered(String commandLine) {
        synchronized (replay) {
            replay.put(commandLine, commandLine);
        }
        return command(commandLine);
    }

    /** Closes the connection; pending work fails with {@link EslException.ConnectionClosed}. */
    @Override
    public void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        failAll("the session was closed");
        executor.shutdown();
    }

    /** The switch asked for authentication (inbound only). */
    void onAuthRequest() {
    }

    /** The switch refused the connection by ACL. */
    void onRudeRejection() {
    }

    /** The connection ended; pending work has failed already. */
    void onInactive(String reason) {
    }

    final class Handler extends SimpleChannelInboundHandler<EslFrame> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // before any frame is read: the switch greets at once, possibly before connect listeners run
            channel = ctx.channel();
            super.channelActive(ctx);
        }
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, EslFrame frame) {
            String type = frame.contentType().orElse("");
            switch (type) {
                case "auth/request" -> onAuthRequest();
                case "command/reply", "api/response" -> reply(frame);
                case "text/event-plain", "text/event-json", "text/event-xml" -> event(ctx, type, frame);
                case "text/rude-rejection" -> onRudeRejection();
                case "log/data" -> logLine(frame);
                case "text/disconnect-notice" -> LOG.debug("disconnect notice from {}: {}", peer, frame.bodyAsString().strip());
                default -> LOG.debug("ignoring {} from {}", type.isEmpty() ? "a frame without Content-Type" : type, peer);
            }
        }

        private void reply(EslFrame frame) {
            Pending p;
            synchronized (fifo) {
                p = fifo.poll();
            }
            if (p == null) {
                LOG.warn("reply from {} with no command pending: {}", peer, frame.firstLine());
                return;
            }
            p.deadline.cancel(false);
            EslReply reply = new EslReply(frame);
            if (p.settled.compareAndSet(false, true)) {
                meters.completed(p.verb, reply.isOk() ? EslMeters.Outcome.OK : EslMeters.Outcome.ERROR, p.startedNanos);
            }
            if (p.inline) {
                p.reply.complete(reply);
            } else {
                offLoop(() -> p.reply.complete(reply));
            }
        }

        private void logLine(EslFrame frame) {
            EslLogLine line;
            try {
                line = new EslLogLine(Integer.parseInt(frame.header("Log-Level").orElse("7").strip()),
                        frame.header("User-Data").filter(u -> !u.isBlank()), frame.header("Log-File").orElse(""),
                        frame.header("Log-Func").orElse(""), Integer.parseInt(frame.header("Log-Line").orElse("0").strip()),
                        frame.bodyAsString());
            } catch (NumberFormatException e) {
                LOG.warn("unreadable log line from {}: {}", peer, e.getMessage());
                return;
            }
            events.log(line);
        }

        private void event(ChannelHandlerContext ctx, String type, EslFrame frame) {
            EslEvent event;
            String name;
            String job;
            String uuid;
            try {
                // plain and JSON events are decoded lazily: dispatch reads these few headers, listeners the rest
                event = switch (type) {
                    case "text/event-json" -> EslEvent.fromJson(frame.body());
                    case "text/event-xml" -> EslEvent.fromXml(frame.body());
                    default -> EslEvent.fromPlain(frame.body());
                };
                name = event.eventName();
                // (Application-UUID comes late in an event: looked for only when some job waits)
                job = jobs.isEmpty() ? ""
                        : name.equals("BACKGROUND_JOB") ? event.jobUuid().orElse("")
                        : name.equals("CHANNEL_EXECUTE_COMPLETE") ? event.applicationUuid().orElse("") : "";
                uuid = event.uniqueId().orElse("");
            } catch (RuntimeException e) {
                LOG.warn("unreadable {} event from {}: {}", type, peer, e.getMessage());
                return;
            }
            jobs.complete(job, event);
            events.add(ctx, event, uuid, name.equals("CHANNEL_DESTROY"));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            events.flush(ctx);
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.flush(ctx);
            String reason = "connection to " + peer + " closed";
            failAll(reason);
            offLoop(() -> listener.onDisconnect(reason));
            onInactive(reason);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("closing the ESL connection to {}: {}", peer, cause.getMessage());
            ctx.close();
        }
    }

    void failAll(String reason) {
        List<Pending> pending;
        synchronized (fifo) {
            pending = new ArrayList<>(fifo);
            fifo.clear();
        }
        for (Pending p : pending) {
            p.deadline.cancel(false);
            if (p.settled.compareAndSet(false, true)) {
                meters.completed(p.verb, EslMeters.Outcome.CLOSED, p.startedNanos);
            }
            fail(p.reply, new EslException.ConnectionClosed("'" + p.description + "': " + reason, null));
        }
        jobs.failAll(reason);
    }
}
