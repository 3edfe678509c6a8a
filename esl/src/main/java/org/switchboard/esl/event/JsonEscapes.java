package org.switchboard.esl.event;

import java.nio.charset.StandardCharsets;

/** JSON string escapes decoded without a parser, for the ASCII strings FreeSWITCH escapes (SDP's line ends, quotes). */
final class JsonEscapes {

    private JsonEscapes() {
    }

    /**
     * The text of the ASCII JSON string in {@code t[from..to)} (between its quotes, with at least one escape); null
     * when it holds an escape that is no JSON or a {@code \}{@code u} escape beyond Latin-1 (Jackson reads those).
     */
    static String decode(byte[] t, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        int i = from;
        while (true) {
            int escape = Swar.indexOf(t, i, to, (byte) '\\');
            System.arraycopy(t, i, out, n, escape - i);
            n += escape - i;
            if (escape >= to) {
                return new String(out, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (escape + 1 >= to) {
                return null;
            }
            int c;
            i = escape + 2;
            switch (t[escape + 1]) {
                case '"', '\\', '/' -> c = t[escape + 1];
                case 'b' -> c = '\b';
                case 'f' -> c = '\f';
                case 'n' -> c = '\n';
                case 'r' -> c = '\r';
                case 't' -> c = '\t';
                case 'u' -> {
                    c = escape + 5 < to ? hex4(t, escape + 2) : -1;
                    i = escape + 6;
                }
                default -> c = -1;
            }
            if (c < 0 || c > 0xff) {
                return null;
            }
            out[n++] = (byte) c;
        }
    }

    /** The value of four hex digits at {@code t[at..at+4)}, or -1. */
    private static int hex4(byte[] t, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(t[i], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
