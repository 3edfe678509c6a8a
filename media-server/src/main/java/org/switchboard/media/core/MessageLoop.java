package org.switchboard.media.core;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.event.EslEvent;

/**
 * What a channel's thread runs: the messages ({@code sendmsg}) its controllers queued, one at a time, and the dialplan
 * applications they execute, with CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE around each. Any thread queues a message
 * or asks for a break; everything else, the event-lock depth included, belongs to the channel thread.
 */
final class MessageLoop {

    // under the channel's logger, where its MS-CHAN message ids have always been
    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);

    private final Channel channel;
    private final Function<String, Optional<Application>> applications;
    private final Wakeup wakeup;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private volatile boolean breakRequested;
    // messages with event-lock: true now running (channel thread only)
    private int eventLocked;

    MessageLoop(Channel channel, Function<String, Optional<Application>> applications, Wakeup wakeup) {
        this.channel = channel;
        this.applications = applications;
        this.wakeup = wakeup;
    }

    void enqueue(Message message) {
        messages.add(message);
        wakeup.wake();
    }

    void requestBreak() {
        breakRequested = true;
        wakeup.wake();
    }

    boolean takeBreak() {
        boolean b = breakRequested;
        breakRequested = false;
        return b;
    }

    /** See {@link Channel#park}. */
    void park(BooleanSupplier until) throws InterruptedException {
        channel.state("CS_PARK");
        while (!channel.isHungUp() && !until.getAsBoolean()) {
            Message m = messages.poll();
            if (m != null) {
                channel.state("CS_EXECUTE");
                process(m);
                channel.state("CS_PARK");
            } else {
                channel.stopFullRecordings();
                wakeup.await(-1, channel);
            }
        }
        if (!channel.isHungUp()) {
            channel.state("CS_EXECUTE");
        }
    }

    /** See {@link Channel#await}. */
    boolean await(BooleanSupplier done, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        while (!done.getAsBoolean()) {
            long left = timeoutMillis < 0 ? -1 : deadline - System.nanoTime();
            if (channel.isHungUp() || (timeoutMillis >= 0 && left <= 0)) {
                return false;
            }
            // an event-lock message runs: nothing else is dequeued meanwhile
            Message m = eventLocked > 0 ? null : messages.poll();
            if (m != null) {
                process(m);
                continue;
            }
            channel.stopFullRecordings();
            wakeup.await(left, channel);
        }
        return true;
    }

    /** See {@link Channel#process}. */
    void process(Message m) throws InterruptedException {
        boolean lock = m.header("event-lock").filter(v -> v.equalsIgnoreCase("true")).isPresent();
        if (lock) {
            eventLocked++;
        }
        try {
            run(m);
        } finally {
            if (lock) {
                eventLocked--;
            }
        }
    }

    private void run(Message m) throws InterruptedException {
        String command = m.header("call-command").orElse("");
        switch (command.toLowerCase(Locale.ROOT)) {
            case "execute" -> {
                String app = m.header("execute-app-name").orElse("");
                String arg = m.header("execute-app-arg").orElse("");
                if (arg.isEmpty() && m.header("content-type").filter(t -> t.equalsIgnoreCase("text/plain")).isPresent()) {
                    arg = m.body();
                }
                String appUuid = m.header("Event-UUID").orElseGet(() -> UUID.randomUUID().toString());
                int loops = m.header("loops").map(l -> {
                    try {
                        return Integer.parseInt(l.strip());
                    } catch (NumberFormatException e) {
                        return 1;
                    }
                }).orElse(1);
                for (int i = 0; (loops < 0 || i < loops) && !channel.isHungUp(); i++) {
                    execute(app, arg, appUuid);
                }
            }
            case "hangup" -> channel.hangup(m.header("hangup-cause").orElse("NORMAL_CLEARING"));
            default -> LOG.debug("{}: ignoring a message with call-command '{}'", channel.uuid(), command);
        }
        // as FreeSWITCH: the message again, as an event, once processed
        Core core = channel.core();
        EslEvent.Builder done = core.event("PRIVATE_COMMAND", "switch_ivr.c", "switch_ivr_parse_event", 1);
        m.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                done.header(k, v);
            }
        });
        core.fire(channel.channelData(done, false).build());
    }

    /** See {@link Channel#execute}. */
    void execute(String app, String rawArg, String appUuid) throws InterruptedException {
        Core core = channel.core();
        String uuid = channel.uuid();
        String arg = channel.expand(rawArg);
        channel.set("current_application", app);
        channel.set("current_application_data", arg);
        core.log(7, "switch_core_session.c", "switch_core_session_execute_application_get_flags", 2866,
                Optional.of(uuid), "EXECUTE [depth=0] " + channel.name() + " " + app + "(" + arg + ")");
        if (core.listening()) {
            core.fire(withApplication(channel.channelEvent("CHANNEL_EXECUTE", "switch_core_session.c",
                    "switch_core_session_exec", true), app, arg, null, appUuid).build());
        }
        String response;
        Optional<Application> application = applications.apply(app.toLowerCase(Locale.ROOT));
        if (application.isEmpty()) {
            LOG.info("MS-CHAN-002 {}: no application named '{}'", uuid, app);
            response = "_none_";
        } else {
            breakRequested = false;
            try {
                response = application.get().run(channel, arg);
            } catch (RuntimeException e) {
                LOG.warn("MS-CHAN-003 {}: application {} failed", uuid, app, e);
                response = "-ERR " + e.getMessage();
            }
        }
        channel.set("current_application_response", response);
        if (!core.listening()) {
            return;
        }
        core.fire(withApplication(channel.channelEvent("CHANNEL_EXECUTE_COMPLETE", "switch_core_session.c",
                "switch_core_session_exec", true), app, arg,
                response == null || response.isEmpty() ? "_none_" : response, appUuid).build());
    }

    private static EslEvent.Builder withApplication(EslEvent.Builder b, String app, String arg, String response,
                                                    String appUuid) {
        b.header("Application", app).header("Application-Data", arg);
        if (response != null) {
            b.header("Application-Response", response);
        }
        return b.header("Application-UUID", appUuid);
    }
}
