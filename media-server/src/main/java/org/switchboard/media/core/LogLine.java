package org.switchboard.media.core;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of the switch's log, as the event socket's {@code log/data} carries it: a level from 0 (CONSOLE) to 7
 * (DEBUG), where in FreeSWITCH's source the line comes from, the channel it is about (if any), and the text.
 */
public record LogLine(int level, String file, String function, int line, Optional<String> channelUuid, String text,
                      LocalDateTime time) {

    /** FreeSWITCH's level names, by number. */
    public static final java.util.List<String> LEVELS = java.util.List.of("CONSOLE", "ALERT", "CRIT", "ERR", "WARNING",
            "NOTICE", "INFO", "DEBUG");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    /**
     * A level given by number (0-7) or name ({@code debug}, {@code info}, {@code notice}, {@code warning},
     * {@code err} or {@code error}, {@code crit}, {@code alert}, {@code console}); empty when it is neither.
     */
    public static Optional<Integer> parseLevel(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.matches("[0-7]")) {
            return Optional.of(Integer.parseInt(t));
        }
        int i = LEVELS.indexOf(t.equals("ERROR") ? "ERR" : t.equals("WARN") ? "WARNING" : t);
        return i < 0 ? Optional.empty() : Optional.of(i);
    }

    /** The line as FreeSWITCH formats it: time, level, source file and line, text, newline. */
    public String formatted() {
        return STAMP.format(time) + " [" + LEVELS.get(level) + "] " + file + ":" + line + " " + text + "\n";
    }
}
