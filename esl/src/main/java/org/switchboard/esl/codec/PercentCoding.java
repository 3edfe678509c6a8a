package org.switchboard.esl.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of FreeSWITCH's plain event format: strict RFC 3986 decoding to bytes then
 * UTF-8 ({@code +} stays a plus), and the encoder that mirrors {@code switch_url_encode}.
 */
public final class PercentCoding {

    // characters FreeSWITCH escapes besides controls, space and non-ASCII
    private static final String ESCAPED = "#%&+:;<=>?@[\\]^`{|}\"";

    private PercentCoding() {
    }

    /** Decodes {@code %XX} sequences; a value with a malformed sequence is returned unchanged. */
    public static String decode(String value) {
        int percent = value.indexOf('%');
        if (percent < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%') {
                int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
                int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    return value;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Encodes a value as FreeSWITCH writes plain events; an existing {@code %XX} is copied, not encoded twice. */
    public static String encode(String value) {
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(raw.length + 16);
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            if (c == '%' && i + 2 < raw.length && Character.digit(raw[i + 1], 16) >= 0 && Character.digit(raw[i + 2], 16) >= 0) {
                out.append('%');
            } else if (c <= 0x20 || c > 0x7e || ESCAPED.indexOf(c) >= 0) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
