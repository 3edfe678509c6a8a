package org.switchboard.media.app;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Application;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Recording;
import org.switchboard.media.source.AudioSource;
import org.switchboard.media.source.Sources;

/**
 * The registry of applications by name, with the built-in ones. Sounds are read relative to the sound folder
 * (the channel variable {@code sound_prefix} overrides it), recordings relative to the recordings folder.
 */
public final class Applications {

    private static final Logger LOG = LoggerFactory.getLogger(Applications.class);

    private final Map<String, Application> applications = new ConcurrentHashMap<>();
    private final Path sounds;
    private final Path recordings;
    private final Flite flite;
    private final PromptCache prompts = new PromptCache();

    /** The built-in applications, reading sounds from {@code sounds} and writing recordings under {@code recordings}. */
    public Applications(Path sounds, Path recordings) {
        this.sounds = sounds;
        this.recordings = recordings;
        // content-addressed (voice and text), so processes may share it and it survives restarts
        this.flite = new Flite(Path.of(System.getProperty("java.io.tmpdir"), "switchboard-tts"), "flite");
        register("answer", (ch, a) -> {
            ch.fire("CHANNEL_ANSWER", "switch_channel.c", "switch_channel_perform_mark_answered", Map.of());
            return "_none_";
        });
        register("pre_answer", (ch, a) -> "_none_");
        register("ring_ready", (ch, a) -> "_none_");
        register("set", (ch, a) -> {
            set(ch, a);
            return "_none_";
        });
        register("export", (ch, a) -> {
            set(ch, a.startsWith("nolocal:") ? a.substring(8) : a);
            return "_none_";
        });
        register("unset", (ch, a) -> {
            ch.set(a.strip(), null);
            return "_none_";
        });
        register("multiset", (ch, a) -> {
            for (String pair : split(a)) {
                set(ch, pair);
            }
            return "_none_";
        });
        register("hangup", (ch, a) -> {
            ch.hangup(a.isBlank() ? "NORMAL_CLEARING" : a.strip().toUpperCase(Locale.ROOT));
            return "_none_";
        });
        register("park", (ch, a) -> {
            ch.park(() -> false);
            return "_none_";
        });
        register("sleep", (ch, a) -> {
            long ms = parseLong(a.strip(), 0);
            ch.await(() -> false, ms);
            return "_none_";
        });
        register("send_dtmf", (ch, a) -> {
            String[] p = a.strip().split("@", 2);
            int ms = p.length > 1 ? (int) parseLong(p[1], 100) : 100;
            ch.rtp().ifPresent(r -> r.sendDtmf(p[0].replaceAll("[^0-9*#A-Da-d]", "").toUpperCase(Locale.ROOT), ms));
            return "_none_";
        });
        register("set_mute", (ch, a) -> {
            String[] p = a.strip().split("\\s+");
            if (p.length == 2 && (p[0].equals("read") || p[0].equals("write"))) {
                ch.mute(p[0], p[1].equalsIgnoreCase("true"));
                return "_none_";
            }
            LOG.info("MS-APP-007 {}: set_mute takes read|write true|false, had '{}'", ch.uuid(), a);
            return "-ERR usage";
        });
        register("say", this::say);
        register("speak", this::speak);
        register("playback", this::playback);
        register("play_and_get_digits", this::playAndGetDigits);
        register("record", this::record);
        register("record_session", this::recordSession);
        register("stop_record_session", (ch, a) -> {
            for (Recording r : ch.recordings()) {
                if (a.isBlank() || a.strip().equals("all") || r.path().equals(recordPath(ch, a.strip()))) {
                    ch.stopRecording(r);
                }
            }
            return "_none_";
        });
    }

    /** Adds (or replaces) an application. */
    public void register(String name, Application application) {
        applications.put(name.toLowerCase(Locale.ROOT), application);
    }

    /** An application by (lower-case) name. */
    public Optional<Application> find(String name) {
        return Optional.ofNullable(applications.get(name));
    }

    // ---- variables ----------------------------------------------------------------------------------------------

    private static void set(Channel ch, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            ch.set(assignment.strip(), null);
            return;
        }
        ch.set(assignment.substring(0, eq).strip(), assignment.substring(eq + 1));
    }

    /** {@code ^^<d>k=v<d>k=v} or space-separated pairs. */
    private static List<String> split(String arg) {
        if (arg.startsWith("^^") && arg.length() > 2) {
            String delimiter = arg.substring(2, 3);
            return List.of(arg.substring(3).split(Pattern.quote(delimiter)));
        }
        return List.of(arg.strip().split("\\s+"));
    }

    // ---- playback -----------------------------------------------------------------------------------------------

    /** How a play ended. */
    enum Ending { DONE, TERMINATOR, DIGIT, BREAK, HANGUP, TIMEOUT }

    private record Played(Ending ending, long samples, char digit) {
    }

    private Path soundFolder(Channel ch) {
        return ch.get("sound_prefix").map(Path::of).orElse(sounds);
    }

    /**
     * Plays one file or stream to the end, a terminator digit, a break or hangup, with PLAYBACK_START/STOP.
     *
     * @param stopOnAnyDigit whether any digit ends it (play_and_get_digits) rather than only terminators
     * @throws NoSuchFileException when it is not there
     */
    private Played play(Channel ch, String spec, String terminators, boolean stopOnAnyDigit, long timeoutMillis)
            throws IOException, InterruptedException {
        AudioSource source = prompts.open(spec, soundFolder(ch));
        String path = spec.contains("://") ? spec : soundFolder(ch).resolve(spec.split("@@")[0]).toString();
        Map<String, String> start = spec.startsWith("tone_stream://")
                ? Map.of("Playback-File-Type", "tone_stream", "Playback-File-Path", spec)
                : Map.of("Playback-File-Path", path);
        ch.fire("PLAYBACK_START", "switch_ivr_play_say.c", "switch_ivr_play_file", start);
        AtomicBoolean finished = new AtomicBoolean();
        ch.play(source, () -> finished.set(true));
        char[] pressed = new char[1];
        Ending[] why = new Ending[1];
        ch.await(() -> {
            if (finished.get()) {
                why[0] = Ending.DONE;
                return true;
            }
            if (ch.takeBreak()) {
                why[0] = Ending.BREAK;
                return true;
            }
            if (stopOnAnyDigit || !terminators.equals("none")) {
                Optional<Character> d = ch.pollDigit();
                if (d.isPresent()) {
                    char c = d.get();
                    if (terminators.equals("any") || terminators.indexOf(c) >= 0) {
                        pressed[0] = c;
                        why[0] = Ending.TERMINATOR;
                        return true;
                    }
                    if (stopOnAnyDigit) {
                        pressed[0] = c;
                        why[0] = Ending.DIGIT;
                        return true;
                    }
                }
            }
            return false;
        }, timeoutMillis);
        if (why[0] == null) {
            why[0] = ch.isHungUp() ? Ending.HANGUP : Ending.TIMEOUT;
        }
        if (why[0] != Ending.DONE) {
            ch.stopPlaying();
        }
        long samples = source.position();
        Map<String, String> stop = new java.util.LinkedHashMap<>(start);
        stop.put("Playback-Status", why[0] == Ending.DONE ? "done" : "break");
        ch.set("playback_samples", Long.toString(samples));
        ch.set("playback_ms", Long.toString(samples / 8));
        ch.set("playback_seconds", Long.toString(samples / 8000));
        ch.set("playback_last_offset_pos", Long.toString(samples));
        ch.fire("PLAYBACK_STOP", "switch_ivr_play_say.c", "switch_ivr_play_file", stop);
        return new Played(why[0], samples, pressed[0]);
    }

    private List<String> files(Channel ch, String arg) {
        Optional<String> delimiter = ch.get("playback_delimiter").filter(d -> !d.isEmpty());
        if (delimiter.isEmpty()) {
            return List.of(arg.strip());
        }
        List<String> out = new ArrayList<>();
        for (String f : arg.split(Pattern.quote(delimiter.get()))) {
            if (!f.isBlank()) {
                out.add(f.strip());
            }
        }
        return out;
    }

    private String playback(Channel ch, String arg) throws InterruptedException {
        long timeout = ch.get("playback_timeout_sec").map(s -> parseLong(s, 0) * 1000).filter(t -> t > 0).orElse(-1L);
        return playAll(ch, files(ch, arg), timeout < 0 ? -1 : System.currentTimeMillis() + timeout, "playback");
    }

    /**
     * Plays {@code files} one after another until one ends early (terminator digit, break, hangup) or the
     * {@code deadline} (epoch ms, -1 for none) passes; sets the playback_* variables as FreeSWITCH does.
     */
    private String playAll(Channel ch, List<String> files, long deadline, String what) throws InterruptedException {
        String terminators = ch.get("playback_terminators").orElse("*");
        ch.set("playback_terminator_used", null);
        long total = 0;
        for (String file : files) {
            long left = deadline < 0 ? -1 : Math.max(1, deadline - System.currentTimeMillis());
            Played p;
            try {
                p = play(ch, file, terminators, false, left);
            } catch (NoSuchFileException e) {
                LOG.info("MS-APP-001 {}: {} of a missing file {}", ch.uuid(), what, e.getMessage());
                return "FILE NOT FOUND";
            } catch (IOException | RuntimeException e) {
                LOG.info("MS-APP-002 {}: {} cannot play {}: {}", ch.uuid(), what, file, e.getMessage());
                return "PLAYBACK ERROR";
            }
            total += p.samples();
            if (p.ending() == Ending.TERMINATOR) {
                ch.set("playback_terminator_used", String.valueOf(p.digit()));
                break;
            }
            if (p.ending() != Ending.DONE) {
                break;
            }
        }
        ch.set("playback_samples", Long.toString(total));
        ch.set("playback_ms", Long.toString(total / 8));
        ch.set("playback_seconds", Long.toString(total / 8000));
        return "FILE PLAYED";
    }

    // ---- say ----------------------------------------------------------------------------------------------------

    /** {@code say <lang> <type> <method> [gender] <text>}: English numbers from the sound folder's digits/. */
    private String say(Channel ch, String arg) throws InterruptedException {
        String[] a = arg.strip().split("\\s+");
        if (a.length < 4) {
            LOG.info("MS-APP-008 {}: say needs <lang> <type> <method> [gender] <text>, had '{}'", ch.uuid(), arg);
            return "-ERR usage";
        }
        if (!a[0].toLowerCase(Locale.ROOT).startsWith("en")) {
            LOG.info("MS-APP-009 {}: say only speaks English here, not '{}'", ch.uuid(), a[0]);
            return "-ERR language";
        }
        Optional<List<String>> files = Say.files(a[1], a[2], a[a.length - 1]);
        if (files.isEmpty()) {
            LOG.info("MS-APP-010 {}: say cannot say '{}'", ch.uuid(), arg);
            return "-ERR unsupported";
        }
        return playAll(ch, files.get(), -1, "say");
    }

    // ---- speak --------------------------------------------------------------------------------------------------

    /**
     * {@code speak <engine>|<voice>|<text>}, or {@code speak <text>} with the {@code tts_engine} and {@code tts_voice}
     * variables: the text said by the flite engine (the only one here), played as {@code playback} plays a file.
     */
    private String speak(Channel ch, String arg) throws InterruptedException {
        String[] a = arg.split("\\|", 3);
        boolean full = a.length == 3;
        String engine = full ? a[0].strip() : ch.get("tts_engine").orElse("");
        String voice = full ? a[1].strip() : ch.get("tts_voice").orElse("");
        String text = (full ? a[2] : arg).strip();
        if (!engine.equalsIgnoreCase("flite")) {
            LOG.info("MS-APP-011 {}: speak has no TTS engine '{}' here (flite is the one there is)", ch.uuid(), engine);
            return "-ERR invalid TTS module " + engine;
        }
        Path wav;
        try {
            wav = flite.synthesize(voice.isEmpty() ? "slt" : voice.toLowerCase(Locale.ROOT), text);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("MS-APP-012 {}: speak failed: {}", ch.uuid(), e.getMessage());
            return "-ERR " + e.getMessage();
        }
        return playAll(ch, List.of(wav.toString()), -1, "speak");
    }

    // ---- play_and_get_digits ------------------------------------------------------------------------------------

    private String playAndGetDigits(Channel ch, String arg) throws InterruptedException {
        String[] a = arg.strip().split("\\s+");
        if (a.length < 7) {
            LOG.info("MS-APP-003 {}: play_and_get_digits needs at least 7 arguments, had '{}'", ch.uuid(), arg);
            return "-ERR usage";
        }
        int min = (int) parseLong(a[0], 0);
        int max = Math.max(1, (int) parseLong(a[1], 128));
        int tries = Math.max(1, (int) parseLong(a[2], 1));
        long timeout = parseLong(a[3], 5000);
        String terminators = a[4];
        String file = a[5];
        String invalidFile = a[6];
        String variable = a.length > 7 ? a[7] : "pagd_input";
        Pattern regex;
        try {
            regex = a.length > 8 ? Pattern.compile(a[8]) : null;
        } catch (PatternSyntaxException e) {
            regex = null;
        }
        long digitTimeout = a.length > 9 ? parseLong(a[9], timeout) : timeout;
        ch.set(variable, null);
        ch.set(variable + "_invalid", null);
        ch.set("read_terminator_used", null);
        String result = "failure";
        for (int attempt = 0; attempt < tries && !ch.isHungUp(); attempt++) {
            StringBuilder digits = new StringBuilder();
            char terminator = 0;
            Played p;
            try {
                p = play(ch, file, terminators, true, -1);
            } catch (IOException | RuntimeException e) {
                LOG.info("MS-APP-004 {}: cannot play {}: {}", ch.uuid(), file, e.getMessage());
                p = new Played(Ending.DONE, 0, (char) 0);
            }
            if (p.ending() == Ending.HANGUP) {
                break;
            }
            if (p.ending() == Ending.TERMINATOR) {
                terminator = p.digit();
            } else if (p.ending() == Ending.DIGIT) {
                digits.append(p.digit());
            }
            boolean timedOut = false;
            while (terminator == 0 && digits.length() < max && !ch.isHungUp()) {
                char[] got = new char[1];
                boolean arrived = ch.await(() -> {
                    Optional<Character> d = ch.pollDigit();
                    d.ifPresent(c -> got[0] = c);
                    return d.isPresent();
                }, digits.length() == 0 ? timeout : digitTimeout);
                if (!arrived) {
                    timedOut = digits.length() == 0;
                    break;
                }
                if (terminators.indexOf(got[0]) >= 0) {
                    terminator = got[0];
                } else {
                    digits.append(got[0]);
                }
            }
            if (terminator != 0) {
                ch.set("read_terminator_used", String.valueOf(terminator));
            }
            String input = digits.toString();
            boolean valid = input.length() >= min && (input.isEmpty() ? min == 0 && terminator != 0
                    : regex == null || regex.matcher(input).matches());
            if (valid) {
                ch.set(variable, input);
                result = "success";
                break;
            }
            result = timedOut ? "timeout" : "failure";
            if (!input.isEmpty()) {
                ch.set(variable + "_invalid", input);
            }
            if (attempt + 1 < tries) {
                try {
                    play(ch, invalidFile, "none", false, -1);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("invalid file {} not played: {}", invalidFile, e.getMessage());
                }
            }
        }
        ch.set("read_result", result);
        return result;
    }

    // ---- record -------------------------------------------------------------------------------------------------

    private Path recordPath(Channel ch, String name) {
        Path p = Path.of(name);
        return p.isAbsolute() ? p : ch.get("recordings_dir").map(Path::of).orElse(recordings).resolve(p);
    }

    private String record(Channel ch, String arg) throws InterruptedException {
        String[] a = arg.strip().split("\\s+");
        Path path = recordPath(ch, a[0]);
        long limitSeconds = a.length > 1 ? parseLong(a[1], 0) : 0;
        int threshold = a.length > 2 ? (int) parseLong(a[2], 200) : 200;
        long silenceHits = a.length > 3 ? parseLong(a[3], 3) : 0;
        String terminators = ch.get("playback_terminators").orElse("*");
        Recording recording;
        try {
            ch.set("record_silence_threshold_energy", Integer.toString(threshold));
            recording = ch.startRecording(path, false, limitSeconds * 8000);
        } catch (IOException e) {
            LOG.warn("MS-APP-005 {}: cannot record to {}: {}", ch.uuid(), path, e.getMessage());
            ch.hangup("DESTINATION_OUT_OF_ORDER");
            return "_none_";
        }
        ch.set("playback_terminator_used", null);
        ch.fire("RECORD_START", "switch_ivr_play_say.c", "switch_ivr_record_file", Map.of("Record-File-Path",
                path.toString()));
        char[] used = new char[1];
        ch.await(() -> {
            if (recording.full() || recording.stopped() || ch.takeBreak()) {
                return true;
            }
            if (silenceHits > 0 && recording.samples() > 8000 && recording.silentSamples() >= silenceHits * 8000) {
                return true;
            }
            if (!terminators.equals("none")) {
                Optional<Character> d = ch.pollDigit();
                if (d.isPresent() && (terminators.equals("any") || terminators.indexOf(d.get()) >= 0)) {
                    used[0] = d.get();
                    return true;
                }
            }
            return false;
        }, -1);
        if (used[0] != 0) {
            ch.set("playback_terminator_used", String.valueOf(used[0]));
        }
        ch.stopRecording(recording);
        return "_none_";
    }

    private String recordSession(Channel ch, String arg) {
        String[] a = arg.strip().split("\\s+");
        Path path = recordPath(ch, a[0]);
        long limit = a.length > 1 && a[1].startsWith("+") ? parseLong(a[1].substring(1), 0) * 8000 : 0;
        try {
            ch.startRecording(path, true, limit); // the channel stops it at the limit
            ch.fire("RECORD_START", "switch_ivr_async.c", "record_callback", Map.of("Record-File-Path",
                    path.toString()));
        } catch (IOException e) {
            LOG.warn("MS-APP-006 {}: cannot record the session to {}: {}", ch.uuid(), path, e.getMessage());
            return "-ERR " + e.getMessage();
        }
        return "_none_";
    }

    private static long parseLong(String s, long fallback) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
