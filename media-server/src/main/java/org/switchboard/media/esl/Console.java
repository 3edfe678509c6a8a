package org.switchboard.media.esl;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.switchboard.media.core.LogLine;
import org.switchboard.media.core.Truth;

/**
 * The switch's console, as FreeSWITCH's mod_console keeps it: the switch's log lines up to a level (default DEBUG,
 * as mod_console's), optionally prefixed by the channel's UUID and coloured by level, written to a sink (the media
 * server's own log, see docs/media-server.md), and the {@code console} api command that changes those settings.
 */
final class Console {

    static final String USAGE = """
            USAGE:
            --------------------------------------------------------------------------------
            console help
            console loglevel [[0-7] | <loglevel_string>]
            console uuid [on|off|toggle]
            console colorize [on|off|toggle]
            --------------------------------------------------------------------------------
            """;
    private static final String LOGLEVEL_USAGE = """
            USAGE:
            --------------------------------------------------------------------------------
            console loglevel [[0-7] | <loglevel_string>]

            Set the logging verbosity of the console from 0 (least verbose) to
            7 (debugging), or specify the loglevel as a string:

              0 console
              1 alert
              2 crit
              3 err
              4 warning
              5 notice
              6 info
              7 debug
            --------------------------------------------------------------------------------
            """;
    private static final String COLORIZE_USAGE = """
            USAGE:
            --------------------------------------------------------------------------------
            console colorize [on|off|toggle]

            Enable, disable, or toggle console coloring.
            --------------------------------------------------------------------------------
            """;
    // mod_console's colours by level: CONSOLE default, ALERT/CRIT/ERR red, WARNING magenta, NOTICE cyan, INFO green,
    // DEBUG yellow
    private static final String[] COLORS = {"\033[m", "\033[31m", "\033[31m", "\033[31m", "\033[35m", "\033[36m",
            "\033[32m", "\033[33m"};
    private static final String RESET = "\033[m";

    private final Consumer<String> sink;
    private volatile int level = 7;
    private volatile boolean uuid;
    private volatile boolean colorize;

    /** A console writing each line it lets through to {@code sink}. */
    Console(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Writes {@code line} if its level is within the console's. */
    void accept(LogLine line) {
        if (line.level() > level) {
            return;
        }
        String text = line.formatted();
        Optional<String> prefix = uuid ? line.channelUuid().filter(u -> !u.isEmpty()) : Optional.empty();
        String withUuid = prefix.map(u -> u + " " + text).orElse(text);
        sink.accept(colorize ? COLORS[line.level()] + withUuid + RESET : withUuid);
    }

    /** The {@code console} api command: {@code loglevel}, {@code uuid}, {@code colorize}, else the usage. */
    String api(String args) {
        String[] argv = args.isBlank() ? new String[0] : args.split(" ", 3);
        if (argv.length == 0) {
            return USAGE;
        }
        String option = argv.length > 1 ? argv[1] : null;
        switch (argv[0].toLowerCase(Locale.ROOT)) {
            case "loglevel" -> {
                if ("help".equalsIgnoreCase(option)) {
                    return LOGLEVEL_USAGE;
                }
                if (option != null) {
                    // FreeSWITCH reads a leading digit as a number (atoi), anything else as a level's name
                    Optional<Integer> asked = Character.isDigit(option.charAt(0))
                            ? Optional.of(leadingNumber(option)) : LogLine.parseLevel(option);
                    if (asked.isEmpty() || asked.get() > 7) {
                        return "-ERR Invalid console loglevel (" + option + ")!\n\n";
                    }
                    level = asked.get();
                }
                return "+OK console log level set to " + LogLine.LEVELS.get(level) + "\n";
            }
            case "colorize" -> {
                if ("help".equalsIgnoreCase(option)) {
                    return COLORIZE_USAGE;
                }
                colorize = toggled(colorize, option);
                return "+OK console color " + (colorize ? "enabled" : "disabled") + "\n";
            }
            case "uuid" -> {
                uuid = toggled(uuid, option);
                return "+OK console uuid " + (uuid ? "enabled" : "disabled") + "\n";
            }
            default -> {
                return USAGE;
            }
        }
    }

    /** The level lines are let through up to (0 CONSOLE ... 7 DEBUG). */
    int level() {
        return level;
    }

    private static boolean toggled(boolean now, String option) {
        if (option == null) {
            return now;
        }
        return option.equalsIgnoreCase("toggle") ? !now : Truth.isTrue(option);
    }

    private static int leadingNumber(String text) {
        int end = 0;
        while (end < text.length() && end < 9 && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return Integer.parseInt(text.substring(0, end));
    }
}
