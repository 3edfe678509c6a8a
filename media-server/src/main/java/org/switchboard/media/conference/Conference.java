package org.switchboard.media.conference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.WavRecorder;
import org.switchboard.media.core.Core;
import org.switchboard.media.source.AudioSource;

/**
 * One conference: its members and the mix. {@link #tick} runs once per period on the media clock, in its own phase:
 * it adds every unmuted member's latest frame (each member's RTP session hands one over per period, in its phase)
 * and the file playing to all, gives each member the sum minus its own voice (plus a file played to it alone),
 * records the mix, and detects talking. The mix runs at the profile's rate, as mod_conference's {@code rate}:
 * a member at another rate is converted to it as it is heard, and its share of the mix is converted back by its
 * channel.
 * Everything is guarded by this object.
 */
final class Conference {

    private static final Logger LOG = LoggerFactory.getLogger(Conference.class);
    static final int TALK_ENERGY = 300;
    private static final int TALK_START_FRAMES = 3;
    private static final int TALK_STOP_FRAMES = 25;

    final String name;
    final String profile;
    /** The mix's sample rate, from the profile. */
    final int rate;
    /** Samples in one 20 ms frame at {@link #rate}. */
    private final int frame;
    final String uuid = UUID.randomUUID().toString();
    final long createdMillis = System.currentTimeMillis();
    private final Core core;
    private final String domain;
    private final Map<Integer, Member> members = new LinkedHashMap<>();
    private final int[] sum;
    private final short[] scratch;
    private AudioSource play;
    private String playFile;
    private final Map<String, WavRecorder> recordings = new LinkedHashMap<>();
    private final java.util.Set<String> pausedRecordings = new java.util.HashSet<>();
    boolean locked;
    int maxMembers = -1;
    private boolean destroyed;
    AutoCloseable clockTask;

    Conference(Core core, String name, String profile, String domain) {
        this.core = core;
        this.name = name;
        this.profile = profile;
        this.domain = domain;
        this.rate = rateOf(profile);
        this.frame = Audio.frameLength(rate);
        this.sum = new int[frame];
        this.scratch = new short[frame];
    }

    /**
     * The mixing rate of a profile, as FreeSWITCH's vanilla conference.conf.xml sets {@code rate}: {@code wideband}
     * (and {@code sla}) 16 kHz, {@code ultrawideband} 32 kHz, {@code cdquality} 48 kHz; {@code default} and any other
     * profile 8 kHz.
     */
    static int rateOf(String profile) {
        return switch (profile) {
            case "wideband", "sla" -> 16000;
            case "ultrawideband" -> 32000;
            case "cdquality" -> 48000;
            default -> Audio.TELEPHONY_RATE;
        };
    }

    // ---- membership ---------------------------------------------------------------------------------------------

    synchronized void add(Member m) {
        m.rate(rate);
        members.put(m.id, m);
    }

    synchronized void remove(Member m) {
        members.remove(m.id);
    }

    synchronized List<Member> members() {
        return new ArrayList<>(members.values());
    }

    synchronized Optional<Member> member(int id) {
        return Optional.ofNullable(members.get(id));
    }

    synchronized boolean recording() {
        return !recordings.isEmpty();
    }

    synchronized int size() {
        return members.size();
    }

    synchronized boolean destroyed() {
        return destroyed;
    }

    void markDestroyed() {
        List<WavRecorder> open;
        synchronized (this) {
            destroyed = true;
            open = List.copyOf(recordings.values());
            recordings.clear();
        }
        open.forEach(Conference::closeQuietly); // outside the lock the mix takes: closing waits for the disk
    }

    // ---- media --------------------------------------------------------------------------------------------------

    /** What a member's channel plays when nothing else does: its share of the mix, at the conference's rate. */
    AudioSource sourceFor(Member m) {
        return new AudioSource() {
            private long position;

            @Override
            public int rate() {
                return rate;
            }

            @Override
            public int read(short[] buffer, int offset, int length) {
                synchronized (Conference.this) {
                    int n = Math.min(length, frame);
                    if (m.deaf) {
                        java.util.Arrays.fill(buffer, offset, offset + n, (short) 0);
                    } else {
                        System.arraycopy(m.out, 0, buffer, offset, n);
                    }
                    position += n;
                    return n;
                }
            }

            @Override
            public long position() {
                return position;
            }
        };
    }

    /** A member's frame heard, at its channel's rate (clock thread). */
    synchronized void heard(Member m, short[] heardFrame) {
        m.hear(heardFrame);
    }

    synchronized void tick() {
        java.util.Arrays.fill(sum, 0);
        for (Member m : members.values()) {
            if (!m.fresh) {
                java.util.Arrays.fill(m.in, (short) 0);
            }
            m.fresh = false;
            if (m.volumeIn != 0) {
                double g = Member.gain(m.volumeIn);
                for (int i = 0; i < frame; i++) {
                    m.in[i] = clamp((int) (m.in[i] * g));
                }
            }
            detectTalking(m);
            if (!m.muted) {
                for (int i = 0; i < frame; i++) {
                    sum[i] += m.in[i];
                }
            }
        }
        if (play != null) {
            int n = Math.max(0, play.read(scratch, 0, frame));
            for (int i = 0; i < n; i++) {
                sum[i] += scratch[i];
            }
            if (n < frame) {
                long samples = play.position();
                String file = playFile;
                play = null;
                playFile = null;
                fire(conferenceEvent("play-file-done", Map.of("seconds", Long.toString(samples / rate),
                        "milliseconds", Long.toString(samples * 1000 / rate), "samples", Long.toString(samples)), file));
            }
        }
        for (Member m : members.values()) {
            double g = Member.gain(m.volumeOut);
            for (int i = 0; i < frame; i++) {
                int v = sum[i] - (m.muted ? 0 : m.in[i]);
                m.out[i] = clamp(m.volumeOut == 0 ? v : (int) (v * g));
            }
            if (m.play != null) {
                int n = Math.max(0, m.play.read(scratch, 0, frame));
                for (int i = 0; i < n; i++) {
                    m.out[i] = clamp(m.out[i] + scratch[i]);
                }
                if (n < frame) {
                    long samples = m.play.position();
                    String file = m.playFile;
                    m.play = null;
                    m.playFile = null;
                    fire(memberEvent(m, "play-file-member-done", Map.of("seconds", Long.toString(samples / rate),
                            "milliseconds", Long.toString(samples * 1000 / rate), "samples", Long.toString(samples)), file));
                }
            }
        }
        if (!recordings.isEmpty()) {
            short[] mix = new short[frame];
            for (int i = 0; i < frame; i++) {
                mix[i] = clamp(sum[i]);
            }
            recordings.entrySet().removeIf(r -> {
                if (pausedRecordings.contains(r.getKey())) {
                    return false;
                }
                try {
                    r.getValue().write(mix, 0, frame);
                    return false;
                } catch (IOException e) {
                    LOG.warn("MS-CONF-001 conference {}: recording {} failed", name, r.getKey(), e);
                    r.getValue().closeInBackground(); // this is the clock: never wait for the disk here
                    return true;
                }
            });
        }
    }

    private void detectTalking(Member m) {
        long energy = 0;
        for (short s : m.in) {
            energy += Math.abs(s);
        }
        boolean loud = energy / frame > TALK_ENERGY;
        if (loud) {
            m.quietFrames = 0;
            if (!m.talking && ++m.loudFrames >= TALK_START_FRAMES) {
                m.talking = true;
                m.lastTalkingMillis = System.currentTimeMillis();
                fire(memberEvent(m, "start-talking", Map.of(), null));
            }
        } else {
            m.loudFrames = 0;
            if (m.talking && ++m.quietFrames >= TALK_STOP_FRAMES) {
                m.talking = false;
                m.lastTalkingMillis = System.currentTimeMillis();
                fire(memberEvent(m, "stop-talking", Map.of(), null));
            }
        }
    }

    private static short clamp(int v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    synchronized void play(AudioSource source, String file) {
        play = source;
        playFile = file;
    }

    synchronized void play(Member m, AudioSource source, String file) {
        m.play = source;
        m.playFile = file;
    }

    synchronized void startRecording(Path path) throws IOException {
        java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
        recordings.put(path.toString(), WavRecorder.create(path, rate, 1));
    }

    /** Pauses or resumes a recording; returns whether there is one of that path. */
    synchronized boolean pauseRecording(String path, boolean pause) {
        if (!recordings.containsKey(path)) {
            return false;
        }
        if (pause) {
            pausedRecordings.add(path);
        } else {
            pausedRecordings.remove(path);
        }
        return true;
    }

    /** Stops recordings ({@code all} or one path); returns the paths stopped. */
    List<String> stopRecording(String path) {
        List<String> stopped = new ArrayList<>();
        List<WavRecorder> closing = new ArrayList<>();
        synchronized (this) {
            recordings.entrySet().removeIf(r -> {
                if (path.equals("all") || r.getKey().equals(path)) {
                    closing.add(r.getValue());
                    stopped.add(r.getKey());
                    return true;
                }
                return false;
            });
        }
        closing.forEach(Conference::closeQuietly); // outside the lock the mix takes: closing waits for the disk
        return stopped;
    }

    private static void closeQuietly(WavRecorder r) {
        try {
            r.close();
        } catch (IOException e) {
            LOG.debug("closing a conference recording", e);
        }
    }

    // ---- events -------------------------------------------------------------------------------------------------

    private EslEvent.Builder base() {
        EslEvent.Builder b = core.event("CUSTOM", "conference_event.c", "conference_event_send", 1)
                .header("Event-Subclass", "conference::maintenance")
                .header("Conference-Name", name)
                .header("Conference-Domain", domain)
                .header("Conference-Size", Integer.toString(members.size()))
                .header("Conference-Ghosts", "0")
                .header("Conference-Profile-Name", profile)
                .header("Conference-Unique-ID", uuid);
        return b;
    }

    synchronized EslEvent conferenceEvent(String action, Map<String, String> before, String file) {
        EslEvent.Builder b = base();
        before.forEach(b::header);
        b.header("Action", action);
        if (file != null) {
            b.header("File", file);
        }
        return b.build();
    }

    /** A member event with headers after {@code Action} (the volume events' Volume-Level). */
    synchronized EslEvent memberEvent(Member m, String action, Map<String, String> after) {
        EslEvent e = memberEvent(m, action, Map.of(), null);
        EslEvent.Builder b = EslEvent.builder(e.eventName());
        e.headers().stream().skip(1).forEach(h -> b.header(h.name(), h.value()));
        after.forEach(b::header);
        return b.build();
    }

    synchronized EslEvent memberEvent(Member m, String action, Map<String, String> before, String file) {
        EslEvent.Builder b = base().header("Floor", "false");
        m.channel.basicData(b);
        m.channel.profile().forEach((k, v) -> b.header("Caller-" + k, v));
        b.header("Video", "false")
                .header("Hear", Boolean.toString(!m.deaf))
                .header("See", "true")
                .header("Speak", Boolean.toString(!m.muted))
                .header("Talking", Boolean.toString(m.talking))
                .header("Mute-Detect", "false")
                .header("Hold", "false")
                .header("Member-ID", Integer.toString(m.id))
                .header("Member-Type", m.type())
                .header("Member-Ghost", "false")
                .header("Energy-Level", Integer.toString(TALK_ENERGY))
                .header("Current-Energy", "0");
        before.forEach(b::header);
        b.header("Action", action);
        if (file != null) {
            b.header("File", file);
        }
        return b.build();
    }

    void fire(EslEvent event) {
        core.fire(event);
    }
}
