package org.switchboard.media.core;

import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.G711;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>This class owns the channel's identity, call state, hangup and events; the message loop and the applications
 * it runs are {@code MessageLoop}, the channel thread's wait {@code Wakeup}, the running recordings {@code Recordings},
 * what it hears {@code Hearing}, the variables {@code Variables}, the received DTMF {@code Digits}.
 */
public final class Channel {

    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
    // a session thread per channel, as FreeSWITCH's, but reused (as its session thread pool does): creating and
    // ending a platform thread for each call showed among an IVR call's costs; idle ones end after 30 s
    private static final ExecutorService SESSION_THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30,
            TimeUnit.SECONDS, new SynchronousQueue<>(), body -> {
                Thread t = new Thread(null, body, "channel-idle", 512 * 1024);
                t.setDaemon(true);
                return t;
            });

    private final Core core;
    private final String uuid = UUID.randomUUID().toString();
    private final String name;
    private final Map<String, String> profile;
    private final Variables variables;
    private final Digits digits = new Digits(this);
    private final Recordings recordings = new Recordings(this);
    private final Wakeup wakeup = new Wakeup();
    private final MessageLoop messages;
    private final Output output = new Output();
    private final Hearing hearing = new Hearing(recordings, output);
    private final CompletableFuture<String> hungUp = new CompletableFuture<>();
    private final long created = System.currentTimeMillis() * 1000;
    private volatile RtpSession rtp;
    private volatile String callState = "ACTIVE";
    private volatile String state = "CS_EXECUTE";
    private volatile String hangupCause;
    private volatile Consumer<String> onHangup = c -> { };
    private volatile Codec codec = G711.PCMU;

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
        this.messages = new MessageLoop(this, applications, wakeup);
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
        this.variables = new Variables(core);
        variables.set("direction", "inbound");
        variables.set("uuid", uuid);
        variables.set("channel_name", name);
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
        variables.set(name, value);
    }

    /** A variable. */
    public Optional<String> get(String name) {
        return variables.get(name);
    }

    /** A snapshot of the variables. */
    public Map<String, String> variables() {
        return variables.snapshot();
    }

    /** Expands {@code ${name}} (channel variables, then globals) and {@code $${name}} (globals); unknown names expand to nothing. */
    public String expand(String text) {
        return variables.expand(text);
    }

    // ---- state --------------------------------------------------------------------------------------------------

    /** The call state: {@code ACTIVE}, then {@code HANGUP}. */
    public String callState() {
        return callState;
    }

    /** The channel state ({@code CS_EXECUTE}, then {@code CS_HANGUP}). */
    public String state() {
        return state;
    }

    /** When the channel was made, in seconds since the epoch. */
    public long createdEpochSeconds() {
        return created / 1_000_000;
    }

    /** The codec of the media, once negotiated ({@code PCMU} before). */
    public Codec codec() {
        return codec;
    }

    /**
     * The rate the channel's audio runs at: its codec's ({@code read_rate}). What it plays is made or converted to
     * this rate, what it hears comes at it, and recordings are written at it.
     */
    public int rate() {
        return codec.sampleRate();
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
        recordings.stopAll();
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
        Codec c = codec;
        b.header("Channel-Read-Codec-Name", c.name())
                .header("Channel-Read-Codec-Rate", Integer.toString(c.sampleRate()))
                .header("Channel-Read-Codec-Bit-Rate", Integer.toString(c.bitRate()))
                .header("Channel-Write-Codec-Name", c.name())
                .header("Channel-Write-Codec-Rate", Integer.toString(c.sampleRate()))
                .header("Channel-Write-Codec-Bit-Rate", Integer.toString(c.bitRate()));
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
    public void media(RtpSession session) {
        this.rtp = session;
        session.play(output, null);
    }

    /** The RTP session, once the SIP side bound one. */
    public Optional<RtpSession> rtp() {
        return Optional.ofNullable(rtp);
    }

    /** Enters a channel state (CS_PARK, CS_EXECUTE) as the message loop moves between parking and running. */
    void state(String state) {
        this.state = state;
    }

    /** The codec negotiated, as the Channel-Read/Write-Codec headers report it; the channel runs at its rate. */
    public void codec(Codec negotiated) {
        this.codec = negotiated;
        output.rate(negotiated.sampleRate());
    }

    /** A listener for the RTP session: audio to recordings and taps, digits to the queue and DTMF events. */
    public RtpSession.Listener mediaListener() {
        return new RtpSession.Listener() {
            @Override
            public void onAudio(short[] frame) {
                hearing.heard(frame);
            }

            @Override
            public void onDigit(char digit, String how) {
                dtmf(digit, how.equals("inband") ? "INBAND_AUDIO" : "RTP", 1600);
            }
        };
    }

    /** A DTMF digit arrived: queued for applications, and a DTMF event fired. */
    public void dtmf(char digit, String source, int durationSamples) {
        digits.received(digit, source, durationSamples);
    }

    /** {@code divert_events on}: this channel's DTMF events go to {@code listener} only (null: to everyone again). */
    public void divert(EventListener listener) {
        digits.divert(listener);
    }

    /** Ends a diversion to {@code listener} (its connection closed). */
    public void undivert(EventListener listener) {
        digits.undivert(listener);
    }

    /** Takes the next received digit, if any. */
    public Optional<Character> pollDigit() {
        return digits.poll();
    }

    /** Forgets received digits. */
    public void flushDigits() {
        digits.flush();
    }

    /** Mutes (or unmutes) what is heard from the peer ({@code read}) or what is sent to it ({@code write}). */
    public void mute(String direction, boolean on) {
        if (direction.equals("read")) {
            hearing.mute(on);
        } else {
            output.mute(on);
        }
    }

    /**
     * Plays {@code source} (converted to the channel's rate if it is at another); {@code done} runs on the clock thread
     * when it ends (not when stopped), and the channel thread is woken.
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

    /** What the channel sends when nothing plays (a conference's mix, at any rate: it is converted), or null. */
    public void background(AudioSource source) {
        output.background(source);
    }

    /** Receives every 20 ms frame heard from the peer (at the channel's rate), on the clock thread; the handle removes it. */
    public AutoCloseable tapAudio(Consumer<short[]> tap) {
        return hearing.tap(tap);
    }

    /**
     * Receives every 20 ms frame heard from the peer together with the frame sent to it in the same tick, on the clock
     * thread (both arrays are reused: copy what is kept); the handle removes it.
     */
    public AutoCloseable tapBothLegs(java.util.function.BiConsumer<short[], short[]> tap) {
        return hearing.tapBothLegs(tap);
    }

    /**
     * Starts recording to {@code path}: only what the peer sends, or both legs (mixed, or in stereo when the
     * channel variable {@code RECORD_STEREO} is true: the peer left, what was sent right), at the channel's rate or at
     * {@code record_sample_rate}, for up to {@code limitSeconds} (0: no limit).
     */
    public Recording startRecording(Path path, boolean bothLegs, long limitSeconds) throws IOException {
        return recordings.start(path, bothLegs, limitSeconds);
    }

    /** Stops a recording and fires RECORD_STOP with its figures as variables. */
    public void stopRecording(Recording r) {
        recordings.stop(r);
    }

    /** Stops the recordings that reached their time limit (the channel thread looks while it waits). */
    void stopFullRecordings() {
        recordings.stopFull();
    }

    /** The recordings running. */
    public List<Recording> recordings() {
        return recordings.list();
    }

    // ---- messages and applications ------------------------------------------------------------------------------

    /** Queues a message for the channel thread (sendmsg). */
    public void enqueue(Message message) {
        messages.enqueue(message);
    }

    /**
     * Tells the channel thread that something changed, so that a waiting application looks at its condition again.
     * Waiting applications sleep until woken (or until their own deadline) and never poll: a thousand channels
     * polling twice a second cost a fifth of a core and, worse, steal the CPU from the media clock at random
     * moments. So whatever changes state a waiting application's condition reads must call this afterwards.
     */
    public void wake() {
        wakeup.wake();
    }

    /** Asks the running application to stop (uuid_break). */
    public void requestBreak() {
        messages.requestBreak();
    }

    /** Whether a break was asked for since the application started; clears the request. */
    public boolean takeBreak() {
        return messages.takeBreak();
    }

    /**
     * Runs messages as they come until the channel hangs up or {@code until} holds (the park loop).
     */
    public void park(BooleanSupplier until) throws InterruptedException {
        messages.park(until);
    }

    /**
     * Waits until {@code done} holds, the channel hangs up or {@code timeoutMillis} pass (negative: no limit),
     * running messages queued meanwhile (nested execution). Returns whether {@code done} held.
     */
    public boolean await(BooleanSupplier done, long timeoutMillis) throws InterruptedException {
        return messages.await(done, timeoutMillis);
    }

    /**
     * Handles one message: {@code execute} (with {@code loops}) or {@code hangup}. With {@code event-lock: true} no
     * other message is run nested while it executes (as in FreeSWITCH).
     */
    public void process(Message m) throws InterruptedException {
        messages.process(m);
    }

    /**
     * Executes one application with CHANNEL_EXECUTE before and CHANNEL_EXECUTE_COMPLETE after, both carrying
     * {@code appUuid} as Application-UUID.
     */
    public void execute(String app, String rawArg, String appUuid) throws InterruptedException {
        messages.execute(app, rawArg, appUuid);
    }

    /** Runs {@code body} on a thread of its own, named for the channel while it runs (its session thread). */
    public void start(String what, Runnable body) {
        SESSION_THREADS.execute(() -> {
            Thread me = Thread.currentThread();
            me.setName("channel-" + uuid.substring(0, 8));
            try {
                body.run();
            } catch (RuntimeException e) {
                LOG.warn("MS-CHAN-004 {}: {} failed", uuid, what, e);
                hangup("NORMAL_TEMPORARY_FAILURE");
            } finally {
                me.setName("channel-idle");
            }
        });
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
