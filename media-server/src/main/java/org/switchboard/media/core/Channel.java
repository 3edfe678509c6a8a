package org.switchboard.media.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.session.RtpSession;
import org.switchboard.media.source.AudioSource;

/**
 * One call leg, as FreeSWITCH's channel: a UUID, variables, call state, its RTP session, the DTMF it received, and
 * the queue of messages ({@code sendmsg}) its controller sent. Applications run one at a time on the channel's own
 * thread (as in FreeSWITCH, where a session has a thread); a running application that waits for media calls
 * {@link #await} which executes messages queued meanwhile (nested execution, as in FreeSWITCH).
 *
 * <p>Media callbacks arrive on the clock thread; everything else on the channel thread, except {@link #hangup} and
 * {@link #enqueue}, which any thread may call.
 */
public final class Channel {

    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
    /** Digits nobody reads are kept up to this many (a peer flooding events cannot grow the queue without end). */
    private static final int MAX_QUEUED_DIGITS = 128;

    private final Core core;
    private final Function<String, Optional<Application>> applications;
    private final String uuid = UUID.randomUUID().toString();
    private final String name;
    private final Map<String, String> profile;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    private final List<Recording> recordings = new CopyOnWriteArrayList<>();
    private final List<Consumer<short[]>> audioTaps = new CopyOnWriteArrayList<>();
    private final Output output = new Output();
    private final CompletableFuture<String> hungUp = new CompletableFuture<>();
    private final long created = System.currentTimeMillis() * 1000;
    private volatile RtpSession rtp;
    private volatile String callState = "ACTIVE";
    private volatile String state = "CS_EXECUTE";
    private volatile String hangupCause;
    private volatile boolean breakRequested;
    // messages with event-lock: true now running (channel thread only)
    private int eventLocked;
    // something a waiting application may care about happened (a message, a digit, the end of a play, a hangup...);
    // no lock: the media clock calls wake() and must never wait for a channel thread that holds one
    private final AtomicBoolean changePending = new AtomicBoolean();
    private volatile Thread waiting;
    private volatile Consumer<String> onHangup = c -> { };
    private volatile String readCodec = "PCMU";
    // divert_events on: the channel's DTMF goes to this controller only
    private volatile EventListener diverted;
    // set_mute: silence what is heard from the peer (read) or what is sent to it (write)
    private volatile boolean muteRead;
    private final short[] silence = new short[RtpSession.FRAME];

    /**
     * A channel; it is registered with the core until it hangs up.
     *
     * @param name the channel name ({@code sofia/<profile>/<user>@<host>})
     * @param profile the caller profile: {@code Username}, {@code Caller-ID-Number}, {@code Network-Addr},
     *     {@code Destination-Number} ... (the part after {@code Caller-})
     */
    public Channel(Core core, Function<String, Optional<Application>> applications, String name,
                   Map<String, String> profile) {
        this.core = core;
        this.applications = applications;
        this.name = name;
        // the profile's Unique-ID is the channel's, where sofia puts it: after Destination-Number
        this.profile = new LinkedHashMap<>();
        profile.forEach((k, v) -> {
            if (!k.equals("Unique-ID")) {
                this.profile.put(k, v);
            }
            if (k.equals("Destination-Number")) {
                this.profile.put("Unique-ID", uuid);
            }
        });
        this.profile.putIfAbsent("Unique-ID", uuid);
        variables.put("direction", "inbound");
        variables.put("uuid", uuid);
        variables.put("channel_name", name);
        core.add(this);
    }

    /** The channel's UUID (Unique-ID). */
    public String uuid() {
        return uuid;
    }

    /** The channel name, {@code sofia/<profile>/<user>@<host>}. */
    public String name() {
        return name;
    }

    /** The core the channel belongs to. */
    public Core core() {
        return core;
    }

    // ---- variables ----------------------------------------------------------------------------------------------

    /** Sets a variable; an empty or null value unsets it. */
    public void set(String name, String value) {
        synchronized (variables) {
            if (value == null || value.isEmpty()) {
                variables.remove(name);
            } else {
                variables.put(name, value);
            }
        }
    }

    /** A variable. */
    public Optional<String> get(String name) {
        synchronized (variables) {
            return Optional.ofNullable(variables.get(name));
        }
    }

    /** A snapshot of the variables. */
    public Map<String, String> variables() {
        synchronized (variables) {
            return new LinkedHashMap<>(variables);
        }
    }

    /** Expands {@code ${name}} (channel variables, then globals) and {@code $${name}} (globals); unknown names expand to nothing. */
    public String expand(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            boolean global = text.startsWith("$${", i);
            if (global || text.startsWith("${", i)) {
                int open = i + (global ? 3 : 2);
                int close = text.indexOf('}', open);
                if (close > 0) {
                    String key = text.substring(open, close);
                    Optional<String> value = global ? core.global(key) : get(key).or(() -> core.global(key));
                    out.append(value.orElse(""));
                    i = close + 1;
                    continue;
                }
            }
            out.append(text.charAt(i++));
        }
        return out.toString();
    }

    // ---- state --------------------------------------------------------------------------------------------------

    /** The call state: {@code ACTIVE}, then {@code HANGUP}. */
    public String callState() {
        return callState;
    }

    /** Whether the channel has hung up. */
    public boolean isHungUp() {
        return hangupCause != null;
    }

    /** Completes with the hangup cause when the channel hangs up. */
    public CompletableFuture<String> hungUp() {
        return hungUp.copy();
    }

    /** What runs when the channel hangs up (the SIP side sends BYE unless the peer did). */
    public void onHangup(Consumer<String> action) {
        this.onHangup = action;
    }

    /**
     * Hangs up (once): stops the media and recordings, fires CHANNEL_CALLSTATE (HANGUP), CHANNEL_HANGUP,
     * RECORD_STOP of running recordings, CHANNEL_HANGUP_COMPLETE and CHANNEL_DESTROY, and closes the RTP session.
     */
    public void hangup(String cause) {
        synchronized (this) {
            if (hangupCause != null) {
                return;
            }
            hangupCause = cause;
        }
        String previous = callState;
        core.log(5, "switch_channel.c", "switch_channel_perform_hangup", 5200, Optional.of(uuid),
                "Hangup " + name + " [" + state + "] [" + cause + "]");
        callState = "HANGUP";
        state = "CS_HANGUP";
        set("hangup_cause", cause);
        output.stop();
        core.fire(channelEvent("CHANNEL_CALLSTATE", "switch_channel.c", "switch_channel_perform_set_callstate", false)
                .header("Original-Channel-Call-State", previous)
                .header("Channel-Call-State-Number", "7")
                .build());
        core.fire(channelEvent("CHANNEL_HANGUP", "switch_channel.c", "switch_channel_perform_hangup", true).build());
        try {
            onHangup.accept(cause);
        } catch (RuntimeException e) {
            LOG.warn("MS-CHAN-001 the hangup action of {} failed", uuid, e);
        }
        for (Recording r : recordings) {
            stopRecording(r);
        }
        RtpSession session = rtp;
        if (session != null) {
            session.close();
        }
        state = "CS_REPORTING";
        EslEvent.Builder complete = core.event("CHANNEL_HANGUP_COMPLETE", "switch_core_state_machine.c",
                "switch_core_session_reporting_state", 1050).header("Hangup-Cause", cause);
        channelData(complete, true);
        core.fire(complete.build());
        state = "CS_DESTROY";
        core.fire(channelEvent("CHANNEL_DESTROY", "switch_core_session.c", "switch_core_session_perform_destroy", true)
                .build());
        core.remove(this);
        hungUp.complete(cause);
        wake();
    }

    // ---- events -------------------------------------------------------------------------------------------------

    /** An event about this channel: standard headers, then the channel data (with the variables if asked). */
    public EslEvent.Builder channelEvent(String eventName, String file, String function, boolean withVariables) {
        return channelData(core.event(eventName, file, function, 1), withVariables);
    }

    /** Appends the channel's basic data, its caller profile and (if asked) its variables to {@code b}. */
    public EslEvent.Builder channelData(EslEvent.Builder b, boolean withVariables) {
        basicData(b);
        profile.forEach((k, v) -> b.header("Caller-" + k, v));
        if (withVariables) {
            variables().forEach((k, v) -> b.header("variable_" + k, v));
        }
        return b;
    }

    /** Only the basic channel data (what DTMF and conference events carry). */
    public EslEvent.Builder basicData(EslEvent.Builder b) {
        b.header("Channel-State", state)
                .header("Channel-Call-State", callState)
                .header("Channel-State-Number", state.equals("CS_EXECUTE") ? "4" : state.equals("CS_HANGUP") ? "10" : "11")
                .header("Channel-Name", name)
                .header("Unique-ID", uuid)
                .header("Call-Direction", "inbound")
                .header("Presence-Call-Direction", "inbound")
                .header("Channel-HIT-Dialplan", "true")
                .header("Channel-Call-UUID", uuid)
                .header("Answer-State", hangupCause != null ? "hangup" : "answered");
        if (hangupCause != null) {
            b.header("Hangup-Cause", hangupCause);
        }
        b.header("Channel-Read-Codec-Name", readCodec)
                .header("Channel-Read-Codec-Rate", "8000")
                .header("Channel-Read-Codec-Bit-Rate", "64000")
                .header("Channel-Write-Codec-Name", readCodec)
                .header("Channel-Write-Codec-Rate", "8000")
                .header("Channel-Write-Codec-Bit-Rate", "64000");
        return b;
    }

    /** The serialized CHANNEL_DATA of {@code connect} replies and {@code uuid_dump}. */
    public EslEvent.Builder channelDataEvent(String function, int line) {
        EslEvent.Builder b = core.event("CHANNEL_DATA", "mod_event_socket.c", function, line);
        profile.forEach((k, v) -> b.header("Channel-" + k, v));
        return channelData(b, true);
    }

    /** The caller profile (names without the {@code Caller-} prefix). */
    public Map<String, String> profile() {
        return Map.copyOf(profile);
    }

    // ---- media --------------------------------------------------------------------------------------------------

    /** Binds the RTP session (the SIP side does, once the offer/answer chose one). */
    public void media(RtpSession session, String codecName) {
        this.rtp = session;
        this.readCodec = codecName;
        session.play(output, null);
    }

    /** The RTP session, once the SIP side bound one. */
    public Optional<RtpSession> rtp() {
        return Optional.ofNullable(rtp);
    }

    /** The codec negotiated (PCMU or PCMA), as the Channel-Read/Write-Codec-Name headers report it. */
    public void codec(String codecName) {
        this.readCodec = codecName;
    }

    /** A listener for the RTP session: audio to recordings and taps, digits to the queue and DTMF events. */
    public RtpSession.Listener mediaListener() {
        return new RtpSession.Listener() {
            @Override
            public void onAudio(short[] frame) {
                heard(frame);
            }

            @Override
            public void onDigit(char digit, String how) {
                dtmf(digit, how.equals("inband") ? "INBAND_AUDIO" : "RTP", 1600);
            }
        };
    }

    private void heard(short[] heardFrame) {
        short[] frame = muteRead ? silence : heardFrame;
        if (!recordings.isEmpty()) {
            short[] sent = output.lastFrame();
            int threshold = get("record_silence_threshold_energy").map(Integer::parseInt).orElse(200);
            for (Recording r : recordings) {
                r.write(frame, sent, threshold);
            }
        }
        if (!audioTaps.isEmpty()) {
            for (Consumer<short[]> tap : audioTaps) {
                tap.accept(frame);
            }
        }
    }

    /** A DTMF digit arrived: queued for applications, and a DTMF event fired. */
    public void dtmf(char digit, String source, int durationSamples) {
        if (digits.size() < MAX_QUEUED_DIGITS) {
            digits.add(digit);
        }
        set("last_dtmf_duration", Integer.toString(durationSamples));
        wake();
        EventListener to = diverted;
        if (to == null && !core.listening()) {
            return;
        }
        EslEvent event = channelData(core.event("DTMF", "switch_channel.c", "switch_channel_queue_dtmf", 699), false)
                .header("DTMF-Digit", String.valueOf(digit))
                .header("DTMF-Duration", Integer.toString(durationSamples))
                .header("DTMF-Source", source)
                .build();
        if (to != null) {
            to.onEvent(event);
        } else {
            core.fire(event);
        }
    }

    /** {@code divert_events on}: this channel's DTMF events go to {@code listener} only (null: to everyone again). */
    public void divert(EventListener listener) {
        diverted = listener;
    }

    /** Ends a diversion to {@code listener} (its connection closed). */
    public void undivert(EventListener listener) {
        if (diverted == listener) {
            diverted = null;
        }
    }

    /** Takes the next received digit, if any. */
    public Optional<Character> pollDigit() {
        return Optional.ofNullable(digits.poll());
    }

    /** Forgets received digits. */
    public void flushDigits() {
        digits.clear();
    }

    /** Mutes (or unmutes) what is heard from the peer ({@code read}) or what is sent to it ({@code write}). */
    public void mute(String direction, boolean on) {
        if (direction.equals("read")) {
            muteRead = on;
        } else {
            output.mute(on);
        }
    }

    /**
     * Plays {@code source}; {@code done} runs on the clock thread when it ends (not when stopped), and the channel
     * thread is woken.
     */
    public void play(AudioSource source, Runnable done) {
        output.play(source, () -> {
            if (done != null) {
                done.run();
            }
            wake();
        });
    }

    /** Stops what plays. */
    public void stopPlaying() {
        output.stop();
    }

    /** What the channel sends when nothing plays (a conference's mix), or null. */
    public void background(AudioSource source) {
        output.background(source);
    }

    /** Receives every 20 ms frame heard from the peer, on the clock thread; the handle removes it. */
    public AutoCloseable tapAudio(Consumer<short[]> tap) {
        audioTaps.add(tap);
        return () -> audioTaps.remove(tap);
    }

    /**
     * Starts recording to {@code path}: only what the peer sends, or both legs (mixed, or in stereo when the
     * channel variable {@code RECORD_STEREO} is true: the peer left, what was sent right).
     */
    public Recording startRecording(Path path, boolean bothLegs, long limitSamples) throws IOException {
        boolean stereo = get("RECORD_STEREO").filter(v -> v.equalsIgnoreCase("true")).isPresent();
        Recording r = new Recording(path, bothLegs, stereo, limitSamples, this::wake);
        recordings.add(r);
        return r;
    }

    /** Stops a recording and fires RECORD_STOP with its figures as variables. */
    public void stopRecording(Recording r) {
        if (!recordings.remove(r)) {
            return;
        }
        r.stop();
        long samples = r.samples();
        set("record_samples", Long.toString(samples));
        set("record_ms", Long.toString(samples / 8));
        set("record_seconds", Long.toString(samples / 8000));
        core.fire(channelEvent("RECORD_STOP", "switch_ivr_async.c", "record_callback", true)
                .header("Record-File-Path", r.path().toString()).build());
    }

    /**
     * Stops the recordings that reached their time limit (a recording wakes the channel thread when it does, and
     * writes no more), so that a limited {@code record_session} or {@code uuid_record} ends with its RECORD_STOP
     * while the channel goes on with other things.
     */
    private void stopFullRecordings() {
        for (Recording r : recordings) {
            if (r.full()) {
                stopRecording(r);
            }
        }
    }

    /** The recordings running. */
    public List<Recording> recordings() {
        return List.copyOf(recordings);
    }

    // ---- messages and applications ------------------------------------------------------------------------------

    /** Queues a message for the channel thread (sendmsg). */
    public void enqueue(Message message) {
        messages.add(message);
        wake();
    }

    /**
     * Tells the channel thread that something changed, so that a waiting application looks at its condition again.
     * Waiting applications sleep until woken (or until their own deadline) and never poll: a thousand channels
     * polling twice a second cost a fifth of a core and, worse, steal the CPU from the media clock at random
     * moments. So whatever changes state a waiting application's condition reads must call this afterwards.
     */
    public void wake() {
        changePending.set(true);
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Sleeps until {@link #wake} (at once if it was called since the last wait) or {@code nanos} pass (negative: no limit). */
    private void waitForChange(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, nanos);
        waiting = Thread.currentThread();
        try {
            while (!changePending.getAndSet(false)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            waiting = null;
        }
    }

    /** Asks the running application to stop (uuid_break). */
    public void requestBreak() {
        breakRequested = true;
        wake();
    }

    /** Whether a break was asked for since the application started; clears the request. */
    public boolean takeBreak() {
        boolean b = breakRequested;
        breakRequested = false;
        return b;
    }

    /**
     * Runs messages as they come until the channel hangs up or {@code until} holds (the park loop).
     */
    public void park(BooleanSupplier until) throws InterruptedException {
        state = "CS_PARK";
        while (!isHungUp() && !until.getAsBoolean()) {
            Message m = messages.poll();
            if (m != null) {
                state = "CS_EXECUTE";
                process(m);
                state = "CS_PARK";
            } else {
                stopFullRecordings();
                waitForChange(-1);
            }
        }
        state = isHungUp() ? state : "CS_EXECUTE";
    }

    /**
     * Waits until {@code done} holds, the channel hangs up or {@code timeoutMillis} pass (negative: no limit),
     * running messages queued meanwhile (nested execution). Returns whether {@code done} held.
     */
    public boolean await(BooleanSupplier done, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        while (!done.getAsBoolean()) {
            long left = timeoutMillis < 0 ? -1 : deadline - System.nanoTime();
            if (isHungUp() || (timeoutMillis >= 0 && left <= 0)) {
                return false;
            }
            // an event-lock message runs: nothing else is dequeued meanwhile
            Message m = eventLocked > 0 ? null : messages.poll();
            if (m != null) {
                process(m);
                continue;
            }
            stopFullRecordings();
            waitForChange(left);
        }
        return true;
    }

    /**
     * Handles one message: {@code execute} (with {@code loops}) or {@code hangup}. With {@code event-lock: true} no
     * other message is run nested while it executes (as in FreeSWITCH).
     */
    public void process(Message m) throws InterruptedException {
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
        switch (command.toLowerCase(java.util.Locale.ROOT)) {
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
                for (int i = 0; (loops < 0 || i < loops) && !isHungUp(); i++) {
                    execute(app, arg, appUuid);
                }
            }
            case "hangup" -> hangup(m.header("hangup-cause").orElse("NORMAL_CLEARING"));
            default -> LOG.debug("{}: ignoring a message with call-command '{}'", uuid, command);
        }
        // as FreeSWITCH: the message again, as an event, once processed
        EslEvent.Builder done = core.event("PRIVATE_COMMAND", "switch_ivr.c", "switch_ivr_parse_event", 1);
        m.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                done.header(k, v);
            }
        });
        core.fire(channelData(done, false).build());
    }

    /**
     * Executes one application with CHANNEL_EXECUTE before and CHANNEL_EXECUTE_COMPLETE after, both carrying
     * {@code appUuid} as Application-UUID.
     */
    public void execute(String app, String rawArg, String appUuid) throws InterruptedException {
        String arg = expand(rawArg);
        set("current_application", app);
        set("current_application_data", arg);
        core.log(7, "switch_core_session.c", "switch_core_session_execute_application_get_flags", 2866,
                Optional.of(uuid), "EXECUTE [depth=0] " + name + " " + app + "(" + arg + ")");
        if (core.listening()) {
            core.fire(withApplication(channelEvent("CHANNEL_EXECUTE", "switch_core_session.c",
                    "switch_core_session_exec", true), app, arg, null, appUuid).build());
        }
        String response;
        Optional<Application> application = applications.apply(app.toLowerCase(java.util.Locale.ROOT));
        if (application.isEmpty()) {
            LOG.info("MS-CHAN-002 {}: no application named '{}'", uuid, app);
            response = "_none_";
        } else {
            breakRequested = false;
            try {
                response = application.get().run(this, arg);
            } catch (RuntimeException e) {
                LOG.warn("MS-CHAN-003 {}: application {} failed", uuid, app, e);
                response = "-ERR " + e.getMessage();
            }
        }
        set("current_application_response", response);
        if (!core.listening()) {
            return;
        }
        core.fire(withApplication(channelEvent("CHANNEL_EXECUTE_COMPLETE", "switch_core_session.c",
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

    /** Runs {@code body} on a new thread named for the channel (its session thread). */
    public void start(String what, Runnable body) {
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                LOG.warn("MS-CHAN-004 {}: {} failed", uuid, what, e);
                hangup("NORMAL_TEMPORARY_FAILURE");
            }
        }, "channel-" + uuid.substring(0, 8), 512 * 1024);
        t.setDaemon(true);
        t.start();
    }

    /** Fires an event of this channel with the variables (PLAYBACK_START ...), with extra headers. */
    public void fire(String eventName, String file, String function, Map<String, String> extra) {
        if (!core.listening()) {
            return;
        }
        EslEvent.Builder b = channelEvent(eventName, file, function, true);
        extra.forEach(b::header);
        core.fire(b.build());
    }

    @Override
    public String toString() {
        return "channel " + uuid;
    }
}
