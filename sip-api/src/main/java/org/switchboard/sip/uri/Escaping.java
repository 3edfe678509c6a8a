package org.switchboard.sip.uri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** {@code %HH} escaping of URI parts (RFC 3261 section 25.1). */
public final class Escaping {

    private static final String USER_UNRESERVED = "-_.!~*'()&=+$,;?/";

    private Escaping() {
    }

    /** Decodes {@code %HH} escapes as UTF-8; a malformed escape is kept as written. */
    public static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int hi;
            int lo;
            if (c == '%' && i + 2 < text.length()
                    && (hi = Character.digit(text.charAt(i + 1), 16)) >= 0
                    && (lo = Character.digit(text.charAt(i + 2), 16)) >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
                byte[] b = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i = end - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Escapes text for the user part of a SIP URI. */
    public static String escapeUser(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || USER_UNRESERVED.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
