package org.switchboard.mrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.EslListener;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.OutboundSession;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.sip.media.CollectResult;
import org.switchboard.sip.media.ConferenceMember;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.DtmfEvent;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.PlayCollectOptions;
import org.switchboard.sip.media.PlayOptions;
import org.switchboard.sip.media.PlayResult;
import org.switchboard.sip.media.RecordOptions;
import org.switchboard.sip.media.RecordResult;

/**
 * An endpoint over its channel's outbound event socket. The socket lingers after hangup, so the channel's hangup
 * event always arrives before the connection closes: a close without it means the connection was lost. The media
 * applications (play, record and the like) are {@link MediaApplications}, run through {@link #run} and {@link #exec}.
 *
 * <p>Threads: events arrive on the event socket's thread for this channel; operations start on the caller's thread;
 * completions and listeners run on the endpoint's lane. What they share is in concurrent collections or volatile
 * fields, and the hangup cause is set once under this object's monitor.
 */
final class ChannelEndpoint implements Endpoint, EslListener {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelEndpoint.class);

    /** What every endpoint subscribes to (drachtio-fsmrf's list, with the hangup and recording events). */
    static final String[] EVENTS = {"CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_PROGRESS_MEDIA",
        "CHANNEL_CALLSTATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP", "DTMF", "DETECTED_TONE", "PLAYBACK_START",
        "PLAYBACK_STOP", "RECORD_START", "RECORD_STOP", "BACKGROUND_JOB", "CUSTOM", "conference::maintenance"};

    private final OutboundSession session;
    private final MediaSignaling.MediaCall call;
    private final Executor lane;
    private final Commands commands;
    private final EslEvent channelData;
    private final String uuid;
    private final List<Consumer<DtmfEvent>> dtmfListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<org.switchboard.sip.media.EslEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> destroyed = new CompletableFuture<>();
    // Application-UUID -> done once this listener has seen that execute's completion event (see exec)
    private final Map<String, CompletableFuture<Void>> delivered = new ConcurrentHashMap<>();
    private final List<Consumer<EslEvent>> conferenceListeners = new CopyOnWriteArrayList<>();
    private final CustomEvents customEvents;
    private final MediaApplications applications = new MediaApplications(this);
    private final EndpointAudioForks audioForks = new EndpointAudioForks(this);
    private volatile CompletableFuture<ConferenceMember> joining;
    private volatile String hangupCause;
    private volatile boolean muted;
    private volatile String localSdp;
    private volatile String remoteSdp;

    ChannelEndpoint(OutboundSession session, MediaSignaling.MediaCall call, Executor callbacks,
                    ScheduledExecutorService timers, java.time.Duration deadline, List<String> customEvents) {
        this.session = session;
        this.call = call;
        this.lane = new SerialExecutor(callbacks);
        this.commands = new Commands(lane, timers, deadline);
        this.channelData = session.channelData();
        this.uuid = session.uuid();
        this.localSdp = channelData.variable("rtp_local_sdp_str").orElse("");
        this.remoteSdp = channelData.variable("switch_r_sdp").orElse("");
        List<String> subclasses = new ArrayList<>(List.of("conference::maintenance"));
        subclasses.addAll(customEvents);
        this.customEvents = new CustomEvents(subclasses);
    }

    /**
     * Filters the connection to the channel, subscribes to its events, keeps the socket after hangup; completes when
     * the switch agreed. The filter comes first (drachtio-fsmrf subscribes first): a subscription without it carries
     * every channel's events, which at a high call rate costs each new endpoint the events of all the others.
     */
    CompletableFuture<Endpoint> start() {
        // the words after CUSTOM are its subclasses
        return commands.run("subscribe to " + uuid, () -> session.filter("Unique-ID", uuid)
                .thenCompose(r -> session.subscribe(EventFormat.JSON, customEvents.subscription(EVENTS)))
                .thenCompose(r -> session.linger())
                .thenApply(r -> (Endpoint) this), this::failure);
    }

    OutboundSession session() {
        return session;
    }

    /** The lane this endpoint's completions and listeners run on. */
    Executor lane() {
        return lane;
    }

    // ---- events (on the event socket's lane for this channel) ---------------------------------

    @Override
    public void onEvent(EslEvent event) {
        String name = event.eventName();
        // the connection is filtered to this channel; a switch that ignored the filter must still not end the
        // endpoint with another call's hangup
        boolean ours = event.header("Unique-ID").map(uuid::equals).orElse(true);
        if (ours && ((name.equals("CHANNEL_CALLSTATE") && event.header("Channel-Call-State").orElse("").equals("HANGUP"))
                || name.equals("CHANNEL_HANGUP"))) {
            ended(event.header("Hangup-Cause").or(() -> event.variable("hangup_cause")).orElse("NORMAL_CLEARING"));
        } else if (name.equals("DTMF")) {
            DtmfEvent dtmf = new DtmfEvent(event.header("DTMF-Digit").orElse(""),
                    (int) Math.min(Integer.MAX_VALUE, Events.number(event.header("DTMF-Duration").orElse("0"))),
                    event.header("DTMF-Source").orElse(""));
            for (Consumer<DtmfEvent> l : dtmfListeners) {
                lane.execute(() -> l.accept(dtmf));
            }
        }
        List<Consumer<org.switchboard.sip.media.EslEvent>> custom = name.equals("CUSTOM")
                ? customEvents.listeners(event.eventSubclass().orElse("")) : List.of();
        if (!eventListeners.isEmpty() || !custom.isEmpty()) {
            org.switchboard.sip.media.EslEvent copy = Events.toApi(event);
            for (Consumer<org.switchboard.sip.media.EslEvent> l : eventListeners) {
                lane.execute(() -> l.accept(copy));
            }
            for (Consumer<org.switchboard.sip.media.EslEvent> l : custom) {
                lane.execute(() -> l.accept(copy));
            }
        }
        if (name.equals("CUSTOM") && event.eventSubclass().orElse("").equals("conference::maintenance")) {
            onConferenceEvent(event);
        }
        if (name.equals("CHANNEL_EXECUTE_COMPLETE")) {
            event.applicationUuid().ifPresent(u -> delivered(u).complete(null));
        }
    }

    private void onConferenceEvent(EslEvent event) {
        CompletableFuture<ConferenceMember> join = joining;
        if (join != null && event.header("Action").orElse("").equals("add-member")
                && event.uniqueId().orElse("").equals(uuid)) {
            int member = (int) Events.number(event.header("Member-ID").orElse("0"));
            join.complete(new ConferenceMember(member, event.header("Conference-Unique-ID").orElse(""), uuid));
        }
        for (Consumer<EslEvent> l : conferenceListeners) {
            l.accept(event);
        }
    }

    /** Hands a conference the conference events this connection receives, on the event socket's threads. */
    void onConferenceEvent(Consumer<EslEvent> listener) {
        conferenceListeners.add(listener);
    }

    /** Runs an operation on this endpoint's deadline and lane (the conference it controls uses them). */
    <T> CompletableFuture<T> run(String operation, java.util.function.Supplier<CompletionStage<T>> steps) {
        return commands.run(operation + " on " + uuid, steps,
                e -> Events.failure(operation + " on " + uuid, e, hangupCause));
    }

    private CompletableFuture<Void> delivered(String applicationUuid) {
        return delivered.computeIfAbsent(applicationUuid, k -> new CompletableFuture<>());
    }

    private void ended(String cause) {
        synchronized (this) {
            if (hangupCause != null) {
                return;
            }
            hangupCause = cause;
        }
        LOG.debug("MRF-EP-001 {} hung up: {}", uuid, cause);
        commands.failAll(op -> Events.hungUp(op, cause));
        lane.execute(() -> destroyed.complete(cause));
        // the socket lingers for us: let it go now that the last events are in
        session.exit().whenComplete((r, e) -> session.close());
    }

    @Override
    public void onDisconnect(String reason) {
        if (hangupCause == null) {
            LOG.info("MRF-EP-002 {}: the event socket connection was lost ({})", uuid, reason);
            commands.failAll(op -> new MediaException.ConnectionLost(op + ": the event socket connection was lost", null));
            lane.execute(() -> destroyed.completeExceptionally(new MediaException.ConnectionLost(
                    uuid + ": the event socket connection was lost", null)));
            call.hangup();
        }
    }

    private MediaException failure(Throwable e) {
        return Events.failure("endpoint " + uuid, e, hangupCause);
    }

    // ---- Endpoint ------------------------------------------------------------------------------

    @Override
    public String uuid() {
        return uuid;
    }

    @Override
    public String localSdp() {
        return localSdp;
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    @Override
    public CompletionStage<String> modify(String sdp) {
        if (sdp.isBlank()) {
            throw new IllegalArgumentException("sdp must be an offer, was blank");
        }
        return run("modify", () -> call.modify(sdp).thenApply(answer -> {
            synchronized (this) {
                remoteSdp = sdp;
                localSdp = answer;
            }
            return answer;
        }));
    }

    @Override
    public CompletionStage<Map<String, String>> channelVariables(boolean includeMedia) {
        return run("channel variables", () -> (includeMedia ? session.api("uuid_set_media_stats " + uuid)
                : CompletableFuture.completedFuture("")).thenCompose(x -> session.api("uuid_dump " + uuid + " json"))
                .thenApply(Events::dump));
    }

    @Override
    public String callId() {
        return channelData.variable("sip_call_id").orElse("");
    }

    @Override
    public boolean isConnected() {
        return !destroyed.isDone();
    }

    @Override
    public CompletionStage<String> destroyed() {
        return destroyed.minimalCompletionStage();
    }

    /**
     * Executes an application; a completion the hangup interrupted fails as a hangup. The execute completes once
     * the listeners have been handed the events before its completion event (the event socket completes the job and
     * delivers events on different threads), so a play's PLAYBACK_STOP reaches them before the play's result.
     */
    CompletionStage<EslEvent> exec(String app, String arg) {
        return session.execute(app, arg).thenCompose(done -> {
            if (done.header("Channel-Call-State").orElse("").equals("HANGUP")) {
                throw Events.hungUp(app, done.variable("hangup_cause").orElse("NORMAL_CLEARING"));
            }
            String id = done.applicationUuid().orElse("");
            return delivered(id).thenApply(seen -> {
                delivered.remove(id);
                return done;
            });
        });
    }

    @Override
    public CompletionStage<PlayResult> play(PlayOptions options) {
        return applications.play(options);
    }

    @Override
    public CompletionStage<CollectResult> playCollect(PlayCollectOptions options) {
        return applications.playCollect(options);
    }

    @Override
    public CompletionStage<PlayResult> say(String language, String type, String method, String gender, String text) {
        return applications.say(language, type, method, gender, text);
    }

    @Override
    public CompletionStage<Void> speak(String engine, String voice, String text) {
        return applications.speak(engine, voice, text);
    }

    @Override
    public CompletionStage<RecordResult> record(String file, RecordOptions options) {
        return applications.record(file, options);
    }

    @Override
    public CompletionStage<Void> recordSession(String file) {
        return applications.recordSession(file);
    }

    @Override
    public CompletionStage<Void> stopRecordSession(String file) {
        return applications.stopRecordSession(file);
    }

    @Override
    public CompletionStage<org.switchboard.sip.media.AudioFork> forkAudio(
            org.switchboard.sip.media.AudioForkOptions options) {
        return audioForks.start(options);
    }

    @Override
    public CompletionStage<org.switchboard.sip.media.EslEvent> execute(String application, String argument) {
        return run("execute " + application, () -> exec(application, argument).thenApply(Events::toApi));
    }

    @Override
    public CompletionStage<String> api(String command) {
        return run("api " + command, () -> session.api(command));
    }

    @Override
    public CompletionStage<Void> set(String name, String value) {
        return run("set " + name, () -> exec("set", name + "=" + value).thenApply(done -> null));
    }

    @Override
    public CompletionStage<Void> set(Map<String, String> variables) {
        List<String> together = new ArrayList<>();
        List<Map.Entry<String, String>> alone = new ArrayList<>();
        for (Map.Entry<String, String> v : variables.entrySet()) {
            // multiset splits on '^', and quotes or line breaks do not survive its argument
            if (v.getValue().matches("(?s).*[\\^\\n\"'].*")) {
                alone.add(v);
            } else {
                together.add(v.getKey() + "=" + v.getValue());
            }
        }
        return run("set " + variables.keySet(), () -> {
            List<CompletableFuture<EslEvent>> all = new ArrayList<>();
            if (!together.isEmpty()) {
                all.add(exec("multiset", "^^^" + String.join("^", together)).toCompletableFuture());
            }
            for (Map.Entry<String, String> v : alone) {
                all.add(exec("set", v.getKey() + "=" + v.getValue()).toCompletableFuture());
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        });
    }

    @Override
    public CompletionStage<Void> export(String name, String value) {
        return run("export " + name, () -> exec("export", name + "=" + value).thenApply(done -> null));
    }

    @Override
    public CompletionStage<Void> mute() {
        return muted(true).thenApply(m -> null);
    }

    @Override
    public CompletionStage<Void> unmute() {
        return muted(false).thenApply(m -> null);
    }

    @Override
    public boolean isMuted() {
        return muted;
    }

    @Override
    public CompletionStage<Boolean> toggleMute() {
        return muted(!muted);
    }

    private CompletionStage<Boolean> muted(boolean mute) {
        return run(mute ? "mute" : "unmute", () -> exec("set_mute", "read " + mute).thenApply(done -> {
            muted = mute;
            return mute;
        }));
    }

    @Override
    public CompletionStage<Void> sendDtmf(String digits) {
        if (!digits.matches("[0-9*#A-Da-dwW]+")) {
            throw new IllegalArgumentException("digits must be DTMF digits, was '" + digits + "'");
        }
        return run("send DTMF", () -> exec("send_dtmf", digits).thenApply(done -> null));
    }

    @Override
    public void onDtmf(Consumer<DtmfEvent> listener) {
        dtmfListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void onEvent(Consumer<org.switchboard.sip.media.EslEvent> listener) {
        eventListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletionStage<Void> addCustomEventListener(String subclass,
                                                        Consumer<org.switchboard.sip.media.EslEvent> listener) {
        return customEvents.add(subclass, listener, sub -> run("subscribe to CUSTOM " + sub,
                () -> session.subscribe(EventFormat.JSON, "CUSTOM", sub).thenApply(r -> (Void) null)));
    }

    @Override
    public void removeCustomEventListener(String subclass, Consumer<org.switchboard.sip.media.EslEvent> listener) {
        customEvents.remove(subclass, listener);
    }

    @Override
    public CompletionStage<ConferenceMember> join(String conference, JoinOptions options) {
        if (!conference.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("conference must be letters, digits, '_', '.' or '-', was '" + conference + "'");
        }
        StringBuilder arg = new StringBuilder(conference);
        options.profile().ifPresent(p -> arg.append('@').append(p));
        if (options.pin().isPresent() || !options.flags().isEmpty()) {
            arg.append('+').append(options.pin().orElse(""));
        }
        if (!options.flags().isEmpty()) {
            arg.append("+flags{").append(String.join("|", options.flags())).append('}');
        }
        return run("join " + conference, () -> {
            CompletableFuture<ConferenceMember> joined = new CompletableFuture<>();
            synchronized (this) {
                if (joining != null && !joining.isDone()) {
                    throw new IllegalStateException("another join is pending");
                }
                joining = joined;
            }
            // the application runs while the channel is a member: it completes early only when refused
            session.execute("conference", arg.toString()).whenComplete((done, e) -> joined.completeExceptionally(
                    e != null ? e : new MediaException("join " + conference + " on " + uuid + ": refused ("
                            + done.header("Application-Response").orElse("") + ")")));
            return joined;
        });
    }

    @Override
    public CompletionStage<Void> bridge(Endpoint other) {
        return okApi("bridge to " + other.uuid(), "uuid_bridge " + uuid + " " + other.uuid());
    }

    @Override
    public CompletionStage<Void> unbridge() {
        return okApi("unbridge", "uuid_transfer " + uuid + " -both park inline");
    }

    @Override
    public CompletionStage<Void> park() {
        return okApi("park", "uuid_break " + uuid + " all");
    }

    private CompletionStage<Void> okApi(String operation, String command) {
        return run(operation, () -> session.api(command).thenApply(body -> {
            if (!body.startsWith("+OK")) {
                throw new MediaException(operation + " on " + uuid + ": " + body.strip());
            }
            return null;
        }));
    }

    @Override
    public CompletionStage<Void> destroy() {
        if (destroyed.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        // a hangup message rather than the hangup application: it is not queued behind a running application
        // (a conference), and the hangup event, not a reply, ends the wait
        session.hangup("", "NORMAL_CLEARING");
        Function<Throwable, MediaException> failure = e -> Events.failure("destroy " + uuid, e, null);
        return commands.<Void>run("destroy " + uuid, () -> destroyed.handle((cause, e) -> (Void) null), failure)
                .exceptionally(e -> {
                    if (hangupCause != null) {
                        return null;
                    }
                    throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
                });
    }

    @Override
    public String toString() {
        return "endpoint " + uuid;
    }
}
