package org.switchboard.media.esl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.media.core.LogLine;

/** The {@code console} api command and what the console lets through, as FreeSWITCH's mod_console. */
class ConsoleTest {

    private final List<String> shown = new ArrayList<>();
    private final Console console = new Console(shown::add);

    private static LogLine line(int level, String uuid) {
        return new LogLine(level, "switch_channel.c", "f", 1, Optional.ofNullable(uuid), "New Channel x",
                LocalDateTime.of(2026, 12, 7, 1, 2, 3));
    }

    @Test
    void loglevelAnswersAsModConsoleAndFiltersTheLines() {
        assertThat(console.api("loglevel")).isEqualTo("+OK console log level set to DEBUG\n");
        assertThat(console.api("loglevel debug")).isEqualTo("+OK console log level set to DEBUG\n");
        assertThat(console.api("loglevel 5")).isEqualTo("+OK console log level set to NOTICE\n");
        assertThat(console.level()).isEqualTo(5);
        console.accept(line(7, null));
        console.accept(line(5, null));
        assertThat(shown).containsExactly("2026-12-07 01:02:03.000000 [NOTICE] switch_channel.c:1 New Channel x\n");

        assertThat(console.api("loglevel loud")).isEqualTo("-ERR Invalid console loglevel (loud)!\n\n");
        assertThat(console.level()).as("unchanged by a bad level").isEqualTo(5);
        assertThat(console.api("loglevel help")).contains("7 debug");
    }

    @Test
    void uuidAndColorizeChangeHowLinesAreWritten() {
        assertThat(console.api("uuid on")).isEqualTo("+OK console uuid enabled\n");
        assertThat(console.api("colorize toggle")).isEqualTo("+OK console color enabled\n");
        console.accept(line(3, "abc"));
        assertThat(shown).containsExactly("\033[31mabc 2026-12-07 01:02:03.000000 [ERR] switch_channel.c:1 New Channel x\n\033[m");
        assertThat(console.api("colorize")).as("no argument: the state").isEqualTo("+OK console color enabled\n");
        assertThat(console.api("uuid toggle")).isEqualTo("+OK console uuid disabled\n");
    }

    @Test
    void anythingElseGetsTheUsage() {
        assertThat(console.api("")).isEqualTo(Console.USAGE);
        assertThat(console.api("shout")).isEqualTo(Console.USAGE);
    }
}
