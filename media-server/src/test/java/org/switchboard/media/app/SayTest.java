package org.switchboard.media.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** English numbers as mod_say_en says them, in file names. */
class SayTest {

    static List<String> say(String method, String text) {
        return Say.files("NUMBER", method, text).orElseThrow().stream()
                .map(f -> f.substring("digits/".length(), f.length() - 4)).toList();
    }

    @Test
    void pronouncedNumbers() {
        assertThat(say("pronounced", "0")).containsExactly("0");
        assertThat(say("pronounced", "7")).containsExactly("7");
        assertThat(say("pronounced", "13")).containsExactly("13");
        assertThat(say("pronounced", "40")).containsExactly("40");
        assertThat(say("pronounced", "99")).containsExactly("90", "9");
        assertThat(say("pronounced", "105")).containsExactly("1", "hundred", "5");
        assertThat(say("pronounced", "1234")).containsExactly("1", "thousand", "2", "hundred", "30", "4");
        assertThat(say("pronounced", "2000017")).containsExactly("2", "million", "17");
        assertThat(say("pronounced", "-12")).containsExactly("minus", "12");
    }

    @Test
    void iteratedDigits() {
        assertThat(say("iterated", "4090")).containsExactly("4", "0", "9", "0");
    }

    @Test
    void whatCannotBeSaid() {
        assertThat(Say.files("NUMBER", "pronounced", "twelve")).isEmpty();
        assertThat(Say.files("CURRENT_DATE", "pronounced", "12")).isEmpty();
        assertThat(Say.files("NUMBER", "counted", "12")).isEmpty();
    }
}
