package org.switchboard.media.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The {@code flite} text-to-speech engine (FreeSWITCH's mod_flite): the {@code flite} program (Debian package
 * {@code flite}) writes the speech to a WAV file, which is kept by voice and text so that a prompt said on many
 * calls is synthesized once. Voices are flite's: {@code slt}, {@code kal}, {@code kal16}, {@code awb}, {@code rms}.
 * Thread-safe.
 */
final class Flite {

    private static final Pattern VOICE = Pattern.compile("[a-z0-9_]{1,32}");
    private static final long DEADLINE_SECONDS = 20;
    private static final int MAX_TEXT = 4096;

    private final Path cache;
    private final String program;

    /** An engine that keeps its WAV files in {@code cache} and runs {@code program} (a name on the PATH or a path). */
    Flite(Path cache, String program) {
        this.cache = cache;
        this.program = program;
    }

    /**
     * The WAV file of {@code text} said by {@code voice}: from the cache, else synthesized now (this blocks the
     * calling channel thread for the few tens of milliseconds flite takes).
     *
     * @throws IllegalArgumentException for a voice name or a text flite cannot take
     * @throws IOException when flite is missing, fails or takes longer than its deadline
     */
    Path synthesize(String voice, String text) throws IOException, InterruptedException {
        if (!VOICE.matcher(voice).matches()) {
            throw new IllegalArgumentException("not a flite voice name: '" + voice + "'");
        }
        if (text.isBlank() || text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("the text must hold 1 to " + MAX_TEXT + " characters, had " + text.length());
        }
        Path wav = cache.resolve(voice + "-" + digest(voice + "|" + text) + ".wav");
        if (Files.exists(wav)) {
            return wav;
        }
        Files.createDirectories(cache);
        Path partial = Files.createTempFile(cache, "speak-", ".part");
        try {
            // the text is one argument, never parsed by a shell
            Process p;
            try {
                p = new ProcessBuilder(List.of(program, "-voice", voice, "-t", text, "-o", partial.toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IOException("cannot run " + program + " (install the Debian package flite): " + e.getMessage(), e);
            }
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(program + " took longer than " + DEADLINE_SECONDS + " s");
            }
            if (p.exitValue() != 0 || Files.size(partial) <= 44) {
                throw new IOException(program + " failed (exit " + p.exitValue() + ") for voice " + voice);
            }
            Files.move(partial, wav, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return wav;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
