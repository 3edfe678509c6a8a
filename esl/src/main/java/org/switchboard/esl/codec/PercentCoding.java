package org.switchboard.esl.codec;

import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of FreeSWITCH's plain event format: strict RFC 3986 decoding to bytes then
 * UTF-8 ({@code +} stays a plus), and the encoder that mirrors {@code switch_url_encode}, except that a {@code %} is
 * always escaped: {@code switch_url_encode} copies an existing {@code %XX}, so a value holding the text {@code %41}
 * would read back as {@code A}; here {@link #decode} undoes {@link #encode} for every value.
 */
public final class PercentCoding {

    // characters FreeSWITCH escapes besides controls, space and non-ASCII
    private static final String ESCAPED = "#%&+:;<=>?@[\\]^`{|}\"";

    private PercentCoding() {
    }

    /** Decodes {@code %XX} sequences; a value with a malformed sequence is returned unchanged. */
    public static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        return decode(raw, 0, raw.length);
    }

    /** Decodes {@code %XX} sequences in {@code bytes[from..to)} as UTF-8; a malformed sequence leaves the text as written. */
    public static String decode(byte[] bytes, int from, int to) {
        int percent = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '%') {
                percent = i;
                break;
            }
        }
        if (percent < 0) {
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[to - from];
        int n = percent - from;
        System.arraycopy(bytes, from, out, 0, n);
        for (int i = percent; i < to; i++) {
            byte b = bytes[i];
            if (b == '%') {
                int hi = i + 2 < to ? Character.digit(bytes[i + 1], 16) : -1;
                int lo = i + 2 < to ? Character.digit(bytes[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Encodes a value as FreeSWITCH writes plain events, {@code %} included (see the class comment). */
    public static String encode(String value) {
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(raw.length + 16);
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            if (c <= 0x20 || c > 0x7e || ESCAPED.indexOf(c) >= 0) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
