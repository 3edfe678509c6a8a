package org.switchboard.media.app;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Truth;
import org.switchboard.media.source.AudioSource;

/**
 * Playing to a channel: files and streams ({@code playback}), numbers said from the sound folder ({@code say}) and text
 * spoken by flite ({@code speak}), each until it ends, a terminator digit, a break or hangup, with PLAYBACK_START and
 * PLAYBACK_STOP and the {@code playback_*} variables as FreeSWITCH sets them. Runs on the channel's thread; the
 * prompt cache and the speech files are shared by every channel and safe for that.
 */
final class Playback {

    // under the applications' logger, where the MS-APP message ids have always been
    private static final Logger LOG = LoggerFactory.getLogger(Applications.class);

    private final Path sounds;
    private final Flite flite;
    private final PromptCache prompts = new PromptCache();

    Playback(Path sounds) {
        this.sounds = sounds;
        // content-addressed (voice and text), so processes may share it and it survives restarts
        this.flite = new Flite(Path.of(System.getProperty("java.io.tmpdir"), "switchboard-tts"), "flite");
    }

    /** How a play ended. */
    /** FreeSWITCH's read size for files: FILE_STARTSAMPLES (32 Ki) halved, in samples. */
    static final long READ_CHUNK = 16384;

    enum Ending { DONE, TERMINATOR, DIGIT, BREAK, HANGUP, TIMEOUT }

    record Played(Ending ending, long sent, char digit) {
    }

    private Path soundFolder(Channel ch) {
        return ch.get("sound_prefix").map(Path::of).orElse(sounds);
    }

    /**
     * Plays one file or stream to the end, a terminator digit, a break or hangup, with PLAYBACK_START/STOP.
     *
     * @param stopOnAnyDigit whether any digit ends it (play_and_get_digits) rather than only terminators
     * @param budget the most samples to send before it times out (FreeSWITCH counts its timeout in samples
     *               written), -1 for no limit
     * @throws NoSuchFileException when it is not there
     */
    Played play(Channel ch, String spec, String terminators, boolean stopOnAnyDigit, long budget)
            throws IOException, InterruptedException {
        int rate = ch.rate();
        AudioSource opened = prompts.open(spec, soundFolder(ch), rate);
        Budgeted source = budget < 0 ? null : new Budgeted(opened, budget);
        AudioSource played = source == null ? opened : source;
        String path = spec.contains("://") ? spec : soundFolder(ch).resolve(spec.split("@@")[0]).toString();
        Map<String, String> start = spec.startsWith("tone_stream://")
                ? Map.of("Playback-File-Type", "tone_stream", "Playback-File-Path", spec)
                : Map.of("Playback-File-Path", path);
        ch.fire("PLAYBACK_START", "switch_ivr_play_say.c", "switch_ivr_play_file", start);
        AtomicBoolean finished = new AtomicBoolean();
        ch.play(played, () -> finished.set(true));
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
        }, -1);
        if (why[0] == null) {
            why[0] = Ending.HANGUP;
        } else if (why[0] == Ending.DONE && source != null && source.spent()) {
            why[0] = Ending.TIMEOUT;
        }
        if (why[0] != Ending.DONE) {
            ch.stopPlaying();
        }
        long sent = opened.position();
        long samples = samplesRead(sent, opened.remaining(), why[0] == Ending.DONE);
        Map<String, String> stop = new LinkedHashMap<>(start);
        // FreeSWITCH says break only when its play loop was broken (a digit, uuid_break); a timeout or a hangup is done
        boolean broken = why[0] == Ending.BREAK || why[0] == Ending.TERMINATOR || why[0] == Ending.DIGIT;
        stop.put("Playback-Status", broken ? "break" : "done");
        ch.set("playback_samples", Long.toString(samples));
        ch.set("playback_ms", Long.toString(samples * 1000 / rate));
        ch.set("playback_seconds", Long.toString(samples / rate));
        ch.set("playback_last_offset_pos", Long.toString(lastOffsetPosition(spec, sent)));
        ch.fire("PLAYBACK_STOP", "switch_ivr_play_say.c", "switch_ivr_play_file", stop);
        return new Played(why[0], sent, pressed[0]);
    }

    /**
     * FreeSWITCH's {@code playback_last_offset_pos}: the {@code @@offset} seeked to (in the file's samples) plus the
     * samples sent, which its play loop counts at the channel's rate ({@code read_rate}: 48000 for Opus), as the
     * source counts them here, not the file's: {@code file@@8000} on an Opus channel timed out after 2 s reports
     * 104000.
     */
    static long lastOffsetPosition(String spec, long sent) {
        return startOffset(spec) + sent;
    }

    /** A source that ends after a number of samples, and says whether that, rather than its own end, ended it. */
    static final class Budgeted implements AudioSource {
        private final AudioSource source;
        private long left;
        private boolean spent;

        Budgeted(AudioSource source, long budget) {
            this.source = source;
            this.left = budget;
        }

        @Override
        public int rate() {
            return source.rate();
        }

        @Override
        public int read(short[] buffer, int offset, int length) {
            if (left <= 0) {
                spent = true;
                return -1;
            }
            int n = source.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
                // a short last frame ends the play at once: the budget must say so now, not on a next read
                spent = left == 0;
            }
            return n;
        }

        @Override
        public long position() {
            return source.position();
        }

        @Override
        public long remaining() {
            long r = source.remaining();
            return r < 0 ? left : Math.min(r, left);
        }

        /** Whether the budget, not the source, ended the play (read on the channel's thread after the play ended). */
        boolean spent() {
            return spent;
        }
    }

    /**
     * What FreeSWITCH counts as {@code playback_samples} ({@code samples_in}): what was read from the file, which it
     * reads {@value #READ_CHUNK} samples at a time whenever no more than a frame is left, so a play stopped early counts
     * the chunks read ahead, up to what the file holds.
     */
    static long samplesRead(long played, long remaining, boolean toTheEnd) {
        if (toTheEnd || played == 0) {
            return played;
        }
        long read = READ_CHUNK * (1 + played / READ_CHUNK);
        return remaining < 0 ? read : Math.min(read, played + remaining);
    }

    /** The sample offset of {@code file@@offset} (FreeSWITCH seeks there, and counts the offset position from it). */
    static long startOffset(String spec) {
        int at = spec.lastIndexOf("@@");
        if (at < 0) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(spec.substring(at + 2).strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
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

    String playback(Channel ch, String arg) throws InterruptedException {
        // FreeSWITCH takes playback_timeout_sec only above 1
        long timeout = ch.get("playback_timeout_sec").map(s -> Applications.parseLong(s, 0)).filter(t -> t > 1)
                .map(t -> t * ch.rate()).orElse(-1L);
        return playAll(ch, files(ch, arg), timeout, "playback");
    }

    /**
     * Plays {@code files} one after another until one ends early (terminator digit, break, hangup) or {@code budget}
     * samples (-1 for no limit) were sent; sets the playback_* variables as FreeSWITCH does.
     */
    private String playAll(Channel ch, List<String> files, long budget, String what) throws InterruptedException {
        String terminators = ch.get("playback_terminators").orElse("*");
        ch.set("playback_terminator_used", null);
        long left = budget;
        for (String file : files) {
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
            if (p.ending() == Ending.TERMINATOR) {
                ch.set("playback_terminator_used", String.valueOf(p.digit()));
                break;
            }
            left = left < 0 ? -1 : Math.max(0, left - p.sent());
            if (p.ending() == Ending.TIMEOUT) {
                return ch.get("playback_timeout_as_success").filter(Truth::isTrue).isPresent()
                        ? "FILE PLAYED" : "PLAYBACK ERROR";
            }
            if (p.ending() == Ending.HANGUP) {
                return "PLAYBACK ERROR";
            }
            if (p.ending() != Ending.DONE) {
                break;
            }
        }
        // as FreeSWITCH, the playback_* variables are those of the last file played
        return "FILE PLAYED";
    }

    /** {@code say <lang> <type> <method> [gender] <text>}: English numbers from the sound folder's digits/. */
    String say(Channel ch, String arg) throws InterruptedException {
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

    /**
     * {@code speak <engine>|<voice>|<text>}, or {@code speak <text>} with the {@code tts_engine} and {@code tts_voice}
     * variables: the text said by the flite engine (the only one here), played as {@code playback} plays a file.
     */
    String speak(Channel ch, String arg) throws InterruptedException {
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
}
