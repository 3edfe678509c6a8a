package org.switchboard.media.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code say en <type> <method> <text>} plays: the English file names of a number said whole
 * ({@code pronounced}: 1234 is 1 thousand 2 hundred 30 4) or digit by digit ({@code iterated}), in the sound layout
 * FreeSWITCH's mod_say_en and Asterisk's core sounds share ({@code digits/<n>.wav}, {@code digits/hundred.wav},
 * {@code digits/thousand.wav}, {@code digits/million.wav}, {@code digits/minus.wav}).
 */
final class Say {

    private Say() {
    }

    /** The files, or empty when the type or method is not supported or the text is not a number. */
    static Optional<List<String>> files(String type, String method, String text) {
        String t = type.toUpperCase(Locale.ROOT);
        if (!List.of("NUMBER", "ITEMS", "PERSONS", "MESSAGES").contains(t)) {
            return Optional.empty();
        }
        String digits = text.strip().replace(",", "");
        if (!digits.matches("-?[0-9]{1,12}")) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        switch (method.toLowerCase(Locale.ROOT)) {
            case "iterated" -> {
                for (char c : digits.toCharArray()) {
                    out.add(c == '-' ? "digits/minus.wav" : "digits/" + c + ".wav");
                }
            }
            case "pronounced" -> pronounce(Long.parseLong(digits), out);
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    private static void pronounce(long n, List<String> out) {
        if (n < 0) {
            out.add("digits/minus.wav");
            n = -n;
        }
        if (n == 0) {
            out.add("digits/0.wav");
            return;
        }
        long[] scales = {1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"billion", "million", "thousand", null};
        for (int i = 0; i < scales.length; i++) {
            int group = (int) (n / scales[i] % 1000);
            if (group == 0) {
                continue;
            }
            hundreds(group, out);
            if (names[i] != null) {
                out.add("digits/" + names[i] + ".wav");
            }
        }
    }

    private static void hundreds(int n, List<String> out) {
        if (n >= 100) {
            out.add("digits/" + n / 100 + ".wav");
            out.add("digits/hundred.wav");
            n %= 100;
        }
        if (n >= 20) {
            out.add("digits/" + n / 10 * 10 + ".wav");
            n %= 10;
        }
        if (n > 0) {
            out.add("digits/" + n + ".wav");
        }
    }
}
