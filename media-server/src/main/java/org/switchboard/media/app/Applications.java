package org.switchboard.media.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Application;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Recording;

/**
 * The registry of applications by name, with the built-in ones. Sounds are read relative to the sound folder
 * (the channel variable {@code sound_prefix} overrides it), recordings relative to the recordings folder.
 * Playing ({@code playback}, {@code say}, {@code speak}) is {@code Playback}. Applications run on the channel's thread;
 * the registry is a concurrent map.
 */
public final class Applications {

    private static final Logger LOG = LoggerFactory.getLogger(Applications.class);

    private final Map<String, Application> applications = new ConcurrentHashMap<>();
    private final Path recordings;
    private final Playback playback;

    /** The built-in applications, reading sounds from {@code sounds} and writing recordings under {@code recordings}. */
    public Applications(Path sounds, Path recordings) {
        this.recordings = recordings;
        this.playback = new Playback(sounds);
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
        register("say", playback::say);
        register("speak", playback::speak);
        register("playback", playback::playback);
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
            Playback.Played p;
            try {
                p = playback.play(ch, file, terminators, true, -1);
            } catch (IOException | RuntimeException e) {
                LOG.info("MS-APP-004 {}: cannot play {}: {}", ch.uuid(), file, e.getMessage());
                p = new Playback.Played(Playback.Ending.DONE, 0, (char) 0);
            }
            if (p.ending() == Playback.Ending.HANGUP) {
                break;
            }
            if (p.ending() == Playback.Ending.TERMINATOR) {
                terminator = p.digit();
            } else if (p.ending() == Playback.Ending.DIGIT) {
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
                    playback.play(ch, invalidFile, "none", false, -1);
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
            recording = ch.startRecording(path, false, limitSeconds);
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
            if (silenceHits > 0 && recording.samples() > recording.rate()
                    && recording.silentSamples() >= silenceHits * recording.rate()) {
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
        long limit = a.length > 1 && a[1].startsWith("+") ? parseLong(a[1].substring(1), 0) : 0;
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

    static long parseLong(String s, long fallback) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
